package search

import "testing"

// What the browser test (package search_test, which also builds whole
// sites with package generator) takes from this package's tests.

// NotesCorpus is notesCorpus: the bundled notes split at their headings.
func NotesCorpus(t testing.TB) []Doc { return notesCorpus(t) }

// SynthCorpus is synthCorpus: n documents made from the notes' words.
func SynthCorpus(notes []Doc, n int, seed uint64) []Doc { return synthCorpus(notes, n, seed) }

// QueryMix is queryMix: the fixed-seed query set for docs.
func QueryMix(docs []Doc, seed uint64) []string { return queryMix(docs, seed) }

// CorpusDir is corpusDir: every .md and .txt file of dir split at its
// headings, as the notes are.
func CorpusDir(t testing.TB, dir string) []Doc { return corpusDir(t, dir) }
