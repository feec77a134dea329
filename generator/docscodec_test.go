package generator

import (
	"reflect"
	"testing"

	"github.com/gen-site/gen/generator/internal/search"
)

func TestDocsCodec(t *testing.T) {
	tests := [][]search.Doc{
		nil,
		{{}},
		{{ID: "n-a", URL: "notes/a.html", Title: "A", Section: "Limits", Headings: []string{"A", "Limits"},
			Aliases: []string{"KDS"}, Body: "1 MB/s per shard\n• bullet ünïcode", Category: "analytics"}},
		{{ID: "1"}, {ID: "2", Body: string([]byte{0, 0xff, 0x80})}},
	}
	for _, docs := range tests {
		got, err := decodeDocs(encodeDocs(docs))
		if err != nil || !reflect.DeepEqual(got, docs) {
			t.Errorf("%+v: read %+v, %v", docs, got, err)
		}
	}
	full := encodeDocs(tests[2])
	for _, bad := range [][]byte{nil, {0x80}, full[:len(full)-1], append(append([]byte{}, full...), 0), {1}, {5, 0}} {
		if got, err := decodeDocs(bad); err == nil {
			t.Errorf("%q read as %+v", bad, got)
		}
	}
}

// FuzzDecodeDocs reads any bytes as a note cache's search documents: an
// error, or documents that encode to the same bytes; never a panic.
func FuzzDecodeDocs(f *testing.F) {
	f.Add(encodeDocs([]search.Doc{{ID: "n-a", Headings: []string{"A"}, Body: "text"}}))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		docs, err := decodeDocs(b)
		if err != nil {
			return
		}
		again, err := decodeDocs(encodeDocs(docs))
		if err != nil || !reflect.DeepEqual(again, docs) {
			t.Errorf("%+v read again as %+v, %v", docs, again, err)
		}
	})
}
