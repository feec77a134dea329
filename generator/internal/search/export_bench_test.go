package search

import "testing"

// BenchmarkBuildExport10k measures Build and Export on 10,000 synthetic
// section-sized documents.
func BenchmarkBuildExport10k(b *testing.B) {
	docs := synthCorpus(notesCorpus(b), 10000, 42)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ix, err := Build(docs)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ix.Export(); err != nil {
			b.Fatal(err)
		}
		_ = ix.Close()
	}
}

// BenchmarkExport10k measures Export alone.
func BenchmarkExport10k(b *testing.B) {
	ix, err := Build(synthCorpus(notesCorpus(b), 10000, 42))
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := ix.Export(); err != nil {
			b.Fatal(err)
		}
	}
}
