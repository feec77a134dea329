package generator

import (
	"encoding/binary"
	"errors"

	"github.com/gen-site/gen/generator/internal/search"
)

// encodeDocs writes a note's search documents as the note cache keeps
// them: bytes that the cache's decoder copies whole, and that are read
// as documents (decodeDocs) only when the search index is made, after a
// preview's first build, which they would otherwise slow.
func encodeDocs(docs []search.Doc) []byte {
	var b []byte
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	list := func(ss []string) {
		b = binary.AppendUvarint(b, uint64(len(ss)))
		for _, s := range ss {
			str(s)
		}
	}
	b = binary.AppendUvarint(b, uint64(len(docs)))
	for _, d := range docs {
		str(d.ID)
		str(d.URL)
		str(d.Title)
		str(d.Section)
		list(d.Headings)
		list(d.Aliases)
		str(d.Body)
		str(d.Category)
	}
	return b
}

// errDocs is the error of bytes that encodeDocs did not write.
var errDocs = errors.New("not encoded search documents")

// decodeDocs reads what encodeDocs wrote.
func decodeDocs(b []byte) ([]search.Doc, error) {
	bad := false
	num := func() int {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)) {
			bad = true
			return 0
		}
		b = b[k:]
		return int(n)
	}
	str := func() string {
		n := num()
		if bad || n > len(b) {
			bad = true
			return ""
		}
		s := string(b[:n])
		b = b[n:]
		return s
	}
	list := func() []string {
		n := num()
		if bad || n == 0 {
			return nil
		}
		ss := make([]string, n)
		for i := range ss {
			ss[i] = str()
		}
		return ss
	}
	n := num()
	if bad {
		return nil, errDocs
	}
	var docs []search.Doc
	if n > 0 {
		// A document takes eight bytes at least: broken bytes cannot ask
		// for more room than they could fill.
		docs = make([]search.Doc, 0, min(n, len(b)/8+1))
	}
	for range n {
		d := search.Doc{ID: str(), URL: str(), Title: str(), Section: str()}
		d.Headings, d.Aliases = list(), list()
		d.Body, d.Category = str(), str()
		if bad {
			return nil, errDocs
		}
		docs = append(docs, d)
	}
	if len(b) > 0 {
		return nil, errDocs
	}
	return docs, nil
}
