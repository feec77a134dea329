package search

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"unicode/utf8"

	index "github.com/blevesearch/bleve_index_api"
)

// File is one exported client file, Path relative to the site root.
type File struct {
	Path string
	Data []byte
}

// Dir is the folder of the exported files, relative to the site root.
const Dir = "search/"

// FormatVersion changes whenever the client file format does.
const FormatVersion = 1

// Export sizes, tuned on the bundled notes and a 10k synthetic corpus.
const (
	postShardGz   = 24 << 10 // target gzipped size of a postings shard
	dictShardGz   = 8 << 10  // and of a dictionary shard
	singleShardGz = 40 << 10 // below this a whole kind is one file
)

// shardSizes are the gzipped sizes Export aims at; tests shrink them.
type shardSizes struct{ post, dict, single int }

// Result metadata chunking.
const (
	metaChunk    = 64   // documents per result metadata file
	lensChunk    = 2048 // documents per field-lengths file
	textChunk    = 32   // documents per excerpt source file
	excerptRunes = 400  // excerpt source kept per document
)

// posting is one document of a term's postings in one field.
type posting struct {
	doc  int
	freq uint64
}

// exported is the index as read back through Bleve's reader API.
type exported struct {
	n     int
	lens  [len(fieldNames)][]int
	terms []string // all fields' terms, sorted
	post  map[string]*[len(fieldNames)][]posting
	card  [len(fieldNames)]int
}

// read walks the index through Bleve's reader API: the dictionary of each
// field, each term's postings with frequency and norm, mapped to dense doc
// numbers (the order of ix.docs, i.e. ID order).
func (ix *Index) read() (*exported, error) {
	adv, err := ix.idx.Advanced()
	if err != nil {
		return nil, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	n, err := r.DocCount()
	if err != nil {
		return nil, err
	}
	ex := &exported{n: int(n), post: map[string]*[len(fieldNames)][]posting{}}
	dense := map[string]int{}
	dr, err := r.DocIDReaderAll()
	if err != nil {
		return nil, err
	}
	for {
		iid, err := dr.Next()
		if err != nil {
			_ = dr.Close()
			return nil, err
		}
		if iid == nil {
			break
		}
		ext, err := r.ExternalID(iid)
		if err != nil {
			_ = dr.Close()
			return nil, err
		}
		p, ok := ix.pos[ext]
		if !ok {
			_ = dr.Close()
			return nil, fmt.Errorf("search: index holds unknown document %q", ext)
		}
		dense[string(iid)] = p
	}
	_ = dr.Close()
	if len(dense) != len(ix.docs) || ex.n != len(ix.docs) {
		return nil, fmt.Errorf("search: index holds %d documents, want %d", len(dense), len(ix.docs))
	}
	ctx := context.Background()
	for fi, f := range fieldNames {
		lens := make([]int, ex.n)
		fd, err := r.FieldDict(f)
		if err != nil {
			return nil, err
		}
		for {
			de, err := fd.Next()
			if err != nil {
				_ = fd.Close()
				return nil, err
			}
			if de == nil {
				break
			}
			tfr, err := r.TermFieldReader(ctx, []byte(de.Term), f, true, true, false)
			if err != nil {
				_ = fd.Close()
				return nil, err
			}
			var ps []posting
			var tfd index.TermFieldDoc
			// Reset: the reader appends to tfd.ID otherwise.
			for {
				p, err := tfr.Next(tfd.Reset())
				if err != nil {
					_ = tfr.Close()
					_ = fd.Close()
					return nil, err
				}
				if p == nil {
					break
				}
				d, ok := dense[string(p.ID)]
				if !ok {
					continue
				}
				ps = append(ps, posting{doc: d, freq: p.Freq})
				// Norms are per (doc, field): float32(1/sqrt(len)).
				lens[d] = int(math.Round(1 / (p.Norm * p.Norm)))
			}
			if uint64(len(ps)) != tfr.Count() {
				_ = tfr.Close()
				_ = fd.Close()
				return nil, fmt.Errorf("search: term %q in %s: %d postings, reader counts %d", de.Term, f, len(ps), tfr.Count())
			}
			_ = tfr.Close()
			if len(ps) == 0 {
				continue
			}
			sort.Slice(ps, func(i, j int) bool { return ps[i].doc < ps[j].doc })
			e := ex.post[de.Term]
			if e == nil {
				e = new([len(fieldNames)][]posting)
				ex.post[de.Term] = e
				ex.terms = append(ex.terms, de.Term)
			}
			e[fi] = ps
		}
		_ = fd.Close()
		ex.lens[fi] = lens
		if br, ok := r.(index.BM25Reader); ok {
			if ex.card[fi], err = br.FieldCardinality(f); err != nil {
				return nil, err
			}
		}
	}
	sort.Strings(ex.terms)
	return ex, nil
}

// Export writes the client index files under Dir:
//
//	index.js   entry: format, doc count, field names and boosts, query limits,
//	           the first term of every dictionary and postings shard, chunk sizes
//	lN.js      per field, the field length of each document of a chunk of
//	           2,048 (norm = fround(1/sqrt(len))), loaded for the documents
//	           a query's postings name
//	dN.js      dictionary shard: sorted terms and which fields hold each
//	pN.js      postings shard: sorted terms and, per field, delta-coded postings
//	mN.js      result metadata: id, url, title, section, category per document
//	xN.js      excerpt source: the start of each document's body
//
// Each file calls a function of window.__genSearch, so that <script> loads it.
func (ix *Index) Export() ([]File, error) {
	ex, err := ix.read()
	if err != nil {
		return nil, err
	}
	var files []File
	add := func(name string, call string, args ...interface{}) {
		var b bytes.Buffer
		b.WriteString("window.__genSearch." + call + "(")
		for i, a := range args {
			if i > 0 {
				b.WriteByte(',')
			}
			switch v := a.(type) {
			case []byte:
				b.Write(v)
			default:
				js, _ := json.Marshal(v)
				b.Write(js)
			}
		}
		b.WriteString(");\n")
		files = append(files, File{Path: Dir + name, Data: b.Bytes()})
	}

	// Postings: per term, per field 0 or [x, ...] with x = delta*2 + (freq > 1),
	// followed by freq when freq > 1.
	enc := make([][]byte, len(ex.terms))
	masks := make([]byte, len(ex.terms))
	for i, t := range ex.terms {
		e := ex.post[t]
		var b []byte
		b = append(b, '[')
		for fi := range fieldNames {
			if fi > 0 {
				b = append(b, ',')
			}
			ps := e[fi]
			if len(ps) == 0 {
				b = append(b, '0')
				continue
			}
			masks[i] |= 1 << fi
			b = append(b, '[')
			prev := 0
			for j, p := range ps {
				if j > 0 {
					b = append(b, ',')
				}
				x := (p.doc - prev) * 2
				if p.freq > 1 {
					x++
				}
				b = strconv.AppendInt(b, int64(x), 10)
				if p.freq > 1 {
					b = append(b, ',')
					b = strconv.AppendUint(b, p.freq, 10)
				}
				prev = p.doc
			}
			b = append(b, ']')
		}
		b = append(b, ']')
		enc[i] = b
	}
	termJSON := make([][]byte, len(ex.terms))
	for i, t := range ex.terms {
		termJSON[i], _ = json.Marshal(t)
	}

	postCuts := shardCuts(len(ex.terms), func(i int) int { return len(termJSON[i]) + len(enc[i]) + 2 }, ix.sizes.post, ix.sizes.single, func(a, b int) []byte {
		return postBody(termJSON[a:b], enc[a:b])
	})
	var postFirst []string
	for k := 0; k+1 < len(postCuts); k++ {
		a, b := postCuts[k], postCuts[k+1]
		postFirst = append(postFirst, ex.terms[a])
		add("p"+strconv.Itoa(k)+".js", "post", k, postBody(termJSON[a:b], enc[a:b]))
	}

	dictCuts := shardCuts(len(ex.terms), func(i int) int { return len(termJSON[i]) + 2 }, ix.sizes.dict, ix.sizes.single, func(a, b int) []byte {
		return dictBody(termJSON[a:b], masks[a:b])
	})
	var dictFirst []string
	for k := 0; k+1 < len(dictCuts); k++ {
		a, b := dictCuts[k], dictCuts[k+1]
		dictFirst = append(dictFirst, ex.terms[a])
		add("d"+strconv.Itoa(k)+".js", "dict", k, dictBody(termJSON[a:b], masks[a:b]))
	}

	// Field lengths in chunks of documents: a query loads only the chunks
	// of the documents its postings name, not the lengths of every
	// document of a large site.
	nLens := 0
	for a := 0; a < ex.n; a += lensChunk {
		b := min(a+lensChunk, ex.n)
		lens := make([][]int, len(fieldNames))
		for fi := range fieldNames {
			lens[fi] = ex.lens[fi][a:b]
		}
		add("l"+strconv.Itoa(nLens)+".js", "lens", nLens, lens)
		nLens++
	}

	nMeta := 0
	for a := 0; a < len(ix.docs); a += metaChunk {
		b := min(a+metaChunk, len(ix.docs))
		rows := make([][]string, 0, b-a)
		for _, d := range ix.docs[a:b] {
			rows = append(rows, []string{d.ID, d.URL, d.Title, d.Section, d.Category})
		}
		add("m"+strconv.Itoa(nMeta)+".js", "meta", nMeta, rows)
		nMeta++
	}
	nText := 0
	for a := 0; a < len(ix.docs); a += textChunk {
		b := min(a+textChunk, len(ix.docs))
		rows := make([]string, 0, b-a)
		for _, d := range ix.docs[a:b] {
			rows = append(rows, truncRunes(d.Body, excerptRunes))
		}
		add("x"+strconv.Itoa(nText)+".js", "text", nText, rows)
		nText++
	}

	entry := map[string]interface{}{
		"v":      FormatVersion,
		"model":  "tf-idf",
		"n":      ex.n,
		"fields": fieldNames,
		"boost":  fieldBoosts,
		"card":   ex.card, // scorch FieldCardinality, what BM25 would need
		"limits": map[string]int{
			"fuzzy1": fuzzy1Runes, "fuzzy2": fuzzy2Runes, "fuzzyPrefix": ix.fuzzyPrefix,
			"prefix": prefixRunes, "terms": maxTerms, "termRunes": maxTermRunes,
		},
		"post": postFirst,
		"dict": dictFirst,
		"lens": []int{lensChunk, nLens},
		"meta": []int{metaChunk, nMeta},
		"text": []int{textChunk, nText},
	}
	add("index.js", "entry", entry)
	// Entry first: it is what a page loads.
	files = append(files[len(files)-1:], files[:len(files)-1]...)
	return files, nil
}

func postBody(terms, lists [][]byte) []byte {
	var b bytes.Buffer
	b.WriteByte('[')
	b.Write(bytes.Join(terms, []byte{','}))
	b.WriteString("],[")
	b.Write(bytes.Join(lists, []byte{','}))
	b.WriteByte(']')
	return b.Bytes()
}

func dictBody(terms [][]byte, masks []byte) []byte {
	var b bytes.Buffer
	b.WriteByte('[')
	b.Write(bytes.Join(terms, []byte{','}))
	b.WriteString("],\"")
	for _, m := range masks {
		b.WriteByte("0123456789abcdef"[m&15])
	}
	b.WriteByte('"')
	return b.Bytes()
}

// shardCuts splits items 0..n into contiguous ranges of about targetGz
// gzipped bytes each, estimating the gzip ratio on a sample of about 128 KB;
// a single range when everything fits in singleGz. It returns the cut
// points including 0 and n (just [0] when n is 0: no shard).
func shardCuts(n int, size func(int) int, targetGz, singleGz int, body func(a, b int) []byte) []int {
	if n == 0 {
		return []int{0}
	}
	total, m := 0, 0
	for i := 0; i < n; i++ {
		total += size(i)
		if total <= 128<<10 {
			m = i + 1
		}
	}
	m = max(m, 1)
	sample := body(0, m)
	ratio := float64(len(sample)) / float64(max(gzipLen(sample), 1))
	if float64(total)/ratio <= float64(singleGz) {
		return []int{0, n}
	}
	target := int(float64(targetGz) * ratio)
	cuts := []int{0}
	acc := 0
	for i := 0; i < n; i++ {
		s := size(i)
		if acc > 0 && acc+s > target {
			cuts = append(cuts, i)
			acc = 0
		}
		acc += s
	}
	return append(cuts, n)
}

func gzipLen(b []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = w.Write(b)
	_ = w.Close()
	return buf.Len()
}

func truncRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for k := range s {
		if i == n {
			return s[:k]
		}
		i++
	}
	return s
}
