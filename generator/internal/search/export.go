package search

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"slices"
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
const FormatVersion = 3

// shardsPerFolder is how many files of one kind share a folder. Creating a
// file in a folder that already holds tens of thousands is slow on some
// file systems: on this project's ext4 build disk, 31,000 files made in
// one folder took 14-18 s, and the same files in 300 folders 1-2 s. So
// the nth file of kind k is k(n/256)/n.js, as Hugo keeps each page in a
// folder of its own.
const shardsPerFolder = 256

// path returns the path, under the site root, of the nth file of kind.
func (s shardSizes) path(kind string, n int) string {
	return Dir + kind + strconv.Itoa(n/s.folder) + "/" + strconv.Itoa(n) + ".js"
}

// Export sizes, tuned on the bundled notes and a 10k synthetic corpus. A
// query reads the postings shards of its terms and of their fuzzy and
// prefix neighbours, which are spread over the dictionary: at 10,000 notes
// shards of 2 KB instead of 12 KB cut the first query of the 80 commonest
// words from 70.5 to 47 KB (median) and from 134 to 99 KB (max), with the
// same latency.
const (
	postShardGz   = 2 << 10  // target gzipped size of a postings shard
	dictShardGz   = 4 << 10  // and of a dictionary shard
	singleShardGz = 40 << 10 // below this a whole kind is one file
)

// Impact-ordered postings. A term with more than bigList postings in a
// field (a word in many documents) is not written into its postings shard,
// where a query for it would download every posting: it goes to chunks in
// impact order (see termImpacts), of firstChunk documents and then
// chunkGrowth times more, and to a full list, so that a query reads the
// best documents first and stops once the rest cannot change its top hits.
const (
	bigList     = 1024
	firstChunk  = 256
	chunkGrowth = 4
	keptChunks  = 2 // impact chunks written; the rest is read from the full list
)

// shardSizes are the gzipped sizes Export aims at, the impact list limits
// and the files per folder; tests shrink them.
type shardSizes struct{ post, dict, single, big, chunk, folder int }

// Results. A hit's title, link and excerpt come from one file of
// resultChunk documents: a query's top hits are spread over the site, so
// each needs a file of its own, and a file of 16 documents is about 2.3 KB
// gzipped. Files of 8 documents' metadata and files of 12 documents'
// excerpts, as before, made 15,845 of the 31,175 files of a 10,000-note
// site; these make 4,754 of 20,084. The ten hits of a query for "data" at
// 10,000 notes then cost 3.8 KB more (174.5 KB gzipped with their
// excerpts, against 170.7) in 17 files instead of 27.
const (
	resultChunk  = 16  // documents per result file
	excerptRunes = 320 // excerpt source kept per document
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
	card  [len(fieldNames)]int // terms of each field: what BM25 would need
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
	// Scorch's internal ids are 8-byte big-endian numbers, dense over
	// the snapshot's segments: a slice maps them to doc numbers, which a
	// map of every posting's id cost a third of the export. Ids of
	// another form go to the map.
	byNum := make([]int32, ex.n)
	for i := range byNum {
		byNum[i] = -1
	}
	dense := map[string]int{}
	num := func(iid []byte) (uint64, bool) {
		if len(iid) != 8 {
			return 0, false
		}
		k := binary.BigEndian.Uint64(iid)
		return k, k < uint64(len(byNum))
	}
	denseOf := func(iid []byte) (int, bool) {
		if k, ok := num(iid); ok && byNum[k] >= 0 {
			return int(byNum[k]), true
		}
		d, ok := dense[string(iid)]
		return d, ok
	}
	dr, err := r.DocIDReaderAll()
	if err != nil {
		return nil, err
	}
	seen := 0
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
		if k, ok := num(iid); ok && byNum[k] < 0 {
			byNum[k] = int32(p)
		} else {
			dense[string(iid)] = p
		}
		seen++
	}
	_ = dr.Close()
	if seen != len(ix.docs) || ex.n != len(ix.docs) {
		return nil, fmt.Errorf("search: index holds %d documents, want %d", seen, len(ix.docs))
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
				d, ok := denseOf(p.ID)
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
			slices.SortFunc(ps, func(a, b posting) int { return cmp.Compare(a.doc, b.doc) })
			ex.card[fi]++
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
	}
	sort.Strings(ex.terms)
	return ex, nil
}

// Export writes the client index files under Dir: the entry, and the
// nth file of each other kind k as k(n/256)/n.js (see shardSizes.path):
//
//	index.js   entry: format, doc count, field names and boosts, query limits,
//	           the first term of every dictionary and postings shard, chunk
//	           sizes, files per folder
//	d          dictionary shard: sorted terms and which fields hold each
//	p          postings shard: sorted terms and, per field, delta-coded postings
//	           with field lengths, or for a term in many documents its
//	           impact chunks (termImpacts)
//	i          one impact chunk of a term in many documents (termImpacts)
//	b          the full doc-ordered postings of such a term, for the queries
//	           its first chunks cannot answer
//	r          results: id, url, title, section, category and excerpt
//	           source (the start of the body) per document
//
// Each file calls a function of window.__genSearch, so that <script> loads it.
func (ix *Index) Export() ([]File, error) {
	ex, err := ix.read()
	if err != nil {
		return nil, err
	}
	var files []File
	add := func(path string, call string, args ...interface{}) {
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
		files = append(files, File{Path: path, Data: b.Bytes()})
	}

	// Postings: per term, per field 0, or [x, ..., len, ...] in doc order
	// with x = delta*2 + (freq > 1), followed by freq when freq > 1 and
	// then the document's field length (norm = fround(1/sqrt(len))): the
	// length travels with the posting because a word's documents are spread
	// over the whole site, so per-document length files would all be
	// needed. A term in more than sizes.big documents is instead one object
	// (see termImpacts): its impact chunks, in files of their own.
	var chunkFiles []File
	enc := make([][]byte, len(ex.terms))
	masks := make([]byte, len(ex.terms))
	for i, t := range ex.terms {
		e := ex.post[t]
		docs := 0
		for fi := range fieldNames {
			if len(e[fi]) > 0 {
				masks[i] |= 1 << fi
			}
			docs = max(docs, len(e[fi]))
		}
		if docs > ix.sizes.big {
			enc[i] = termImpacts(e, ex, ix.sizes, &chunkFiles)
			continue
		}
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
			b = appendList(b, ps, ex.lens[fi])
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
		add(ix.sizes.path("p", k), "post", k, postBody(termJSON[a:b], enc[a:b]))
	}

	dictCuts := shardCuts(len(ex.terms), func(i int) int { return len(termJSON[i]) + 2 }, ix.sizes.dict, ix.sizes.single, func(a, b int) []byte {
		return dictBody(termJSON[a:b], masks[a:b])
	})
	var dictFirst []string
	for k := 0; k+1 < len(dictCuts); k++ {
		a, b := dictCuts[k], dictCuts[k+1]
		dictFirst = append(dictFirst, ex.terms[a])
		add(ix.sizes.path("d", k), "dict", k, dictBody(termJSON[a:b], masks[a:b]))
	}

	nRes := 0
	for a := 0; a < len(ix.docs); a += resultChunk {
		b := min(a+resultChunk, len(ix.docs))
		rows := make([][]string, 0, b-a)
		for _, d := range ix.docs[a:b] {
			rows = append(rows, []string{d.ID, d.URL, d.Title, d.Section, d.Category, truncRunes(d.Body, excerptRunes)})
		}
		add(ix.sizes.path("r", nRes), "result", nRes, rows)
		nRes++
	}

	entry := map[string]interface{}{
		"v":      FormatVersion,
		"model":  "tf-idf",
		"n":      ex.n,
		"fields": fieldNames,
		"boost":  fieldBoosts,
		"card":   ex.card, // as scorch's FieldCardinality counts them in one segment
		"limits": map[string]int{
			"fuzzy1": fuzzy1Runes, "fuzzy2": fuzzy2Runes, "fuzzyPrefix": ix.fuzzyPrefix,
			"prefix": prefixRunes, "terms": maxTerms, "termRunes": maxTermRunes,
		},
		"post":   postFirst,
		"dict":   dictFirst,
		"result": []int{resultChunk, nRes},
		"folder": ix.sizes.folder,
	}
	files = append(files, chunkFiles...)
	add(Dir+"index.js", "entry", entry)
	// Entry first: it is what a page loads.
	files = append(files[len(files)-1:], files[:len(files)-1]...)
	return files, nil
}

// impact is a posting's share of a leaf score that does not depend on the
// query: sqrt(freq) * norm, computed exactly as the client does (the client
// then multiplies by idf and the query weight, monotone steps, so that the
// impact of a field's best unread posting bounds its unread leaf scores).
func impact(freq uint64, flen int) float64 {
	return math.Sqrt(float64(freq)) * float64(float32(1/math.Sqrt(float64(flen))))
}

// termImpacts writes the postings of a term in many documents as impact
// chunks and returns its entry for the postings shard:
//
//	{"n": [df per field], "c": [[file, R, freq0, len0, ..., freq3, len3], ...], "b": file}
//
// Only the first keptChunks chunks are files; a last entry with file -1
// gives the bounds of the rest, and "b" is the full list in document
// order (as in a postings shard), which makes the term exact.
//
// Documents are ordered by key = sum over fields of impact * idf² * boost,
// what the term adds to a document's score before the query norm and the
// coord factors (both at most 1 and common to all documents), best first,
// and cut into chunks of sizes.chunk, sizes.chunk*chunkGrowth documents and the rest. R is the
// key of a chunk's first document: no document of the chunk or of a later
// one has a larger key. freqF, lenF are the posting of field F with the
// largest impact in the chunk and the later ones (0, 0 if none): a bound
// per field. A chunk file holds its documents in ascending order, each as
// the delta from the previous one and, for each field that has the term
// at all, freq (0 when the document lacks it there) and then len.
//
// A document the client finds in a loaded chunk is known in every field
// for this term at once; for one it has not found, the two bounds limit
// what the term can add, so that a query stops loading chunks once no
// unread document can enter its top hits.
func termImpacts(e *[len(fieldNames)][]posting, ex *exported, sizes shardSizes, files *[]File) []byte {
	type fl struct {
		freq uint64
		len  int
	}
	type row struct {
		doc int
		key float64
		f   [len(fieldNames)]fl
	}
	byDoc := map[int]*row{}
	var idf [len(fieldNames)]float64
	for fi := range fieldNames {
		if len(e[fi]) == 0 {
			continue
		}
		idf[fi] = 1 + math.Log(float64(ex.n)/float64(len(e[fi])+1))
		for _, p := range e[fi] {
			r := byDoc[p.doc]
			if r == nil {
				r = &row{doc: p.doc}
				byDoc[p.doc] = r
			}
			r.f[fi] = fl{p.freq, ex.lens[fi][p.doc]}
		}
	}
	rows := make([]*row, 0, len(byDoc))
	for _, r := range byDoc {
		for fi := range fieldNames {
			if r.f[fi].freq > 0 {
				r.key += impact(r.f[fi].freq, r.f[fi].len) * idf[fi] * idf[fi] * fieldBoosts[fi]
			}
		}
		rows = append(rows, r)
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].key != rows[j].key {
			return rows[i].key > rows[j].key
		}
		return rows[i].doc < rows[j].doc
	})
	type chunk struct {
		a, b int
		caps [len(fieldNames)]fl
	}
	var cs []chunk
	size := max(sizes.chunk, 1)
	for a := 0; a < len(rows); {
		b := min(a+size, len(rows))
		if len(cs) == keptChunks {
			b = len(rows) // the rest: bounds only, read from the full list
		}
		cs = append(cs, chunk{a: a, b: b})
		a = b
		size *= chunkGrowth
	}
	// Per field caps: the best impact of the chunk and all later ones.
	var best [len(fieldNames)]fl
	for k := len(cs) - 1; k >= 0; k-- {
		for _, r := range rows[cs[k].a:cs[k].b] {
			for fi := range fieldNames {
				x := r.f[fi]
				if x.freq == 0 {
					continue
				}
				if best[fi].freq == 0 || impact(x.freq, x.len) > impact(best[fi].freq, best[fi].len) {
					best[fi] = x
				}
			}
		}
		cs[k].caps = best
	}
	var b []byte
	b = append(b, `{"n":[`...)
	for fi := range fieldNames {
		if fi > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(len(e[fi])), 10)
	}
	b = append(b, `],"c":[`...)
	for k, c := range cs {
		id := len(*files)
		if k == keptChunks {
			id = -1
		}
		if k > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(id), 10)
		b = append(b, ',')
		b = strconv.AppendFloat(b, rows[c.a].key, 'g', -1, 64)
		for fi := range fieldNames {
			b = append(b, ',')
			b = strconv.AppendUint(b, c.caps[fi].freq, 10)
			b = append(b, ',')
			b = strconv.AppendInt(b, int64(c.caps[fi].len), 10)
		}
		b = append(b, ']')
		if id < 0 {
			break
		}
		part := append([]*row(nil), rows[c.a:c.b]...)
		sort.Slice(part, func(i, j int) bool { return part[i].doc < part[j].doc })
		var body []byte
		body = append(body, "window.__genSearch.imp("...)
		body = strconv.AppendInt(body, int64(id), 10)
		body = append(body, ",["...)
		prev := 0
		for j, r := range part {
			if j > 0 {
				body = append(body, ',')
			}
			body = strconv.AppendInt(body, int64(r.doc-prev), 10)
			prev = r.doc
			for fi := range fieldNames {
				if len(e[fi]) == 0 {
					continue
				}
				body = append(body, ',')
				body = strconv.AppendUint(body, r.f[fi].freq, 10)
				if r.f[fi].freq > 0 {
					body = append(body, ',')
					body = strconv.AppendInt(body, int64(r.f[fi].len), 10)
				}
			}
		}
		body = append(body, "]);\n"...)
		*files = append(*files, File{Path: sizes.path("i", id), Data: body})
	}
	// The full list in document order, as a postings shard holds it: what
	// a query loads when the first chunks could not settle its top hits.
	id := len(*files)
	body := []byte("window.__genSearch.full(" + strconv.Itoa(id) + ",[")
	for fi := range fieldNames {
		if fi > 0 {
			body = append(body, ',')
		}
		if len(e[fi]) == 0 {
			body = append(body, '0')
			continue
		}
		body = appendList(body, e[fi], ex.lens[fi])
	}
	body = append(body, "]);\n"...)
	*files = append(*files, File{Path: sizes.path("b", id), Data: body})
	b = append(b, `],"b":`...)
	b = strconv.AppendInt(b, int64(id), 10)
	return append(b, '}')
}

// appendList appends the doc-ordered postings ps of one field: [x, ...]
// with x = delta*2 + (freq > 1), then freq when freq > 1, then the
// document's field length.
func appendList(b []byte, ps []posting, lens []int) []byte {
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
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(lens[p.doc]), 10)
		prev = p.doc
	}
	return append(b, ']')
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
