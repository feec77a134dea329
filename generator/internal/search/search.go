// Package search builds the site's full-text index with Bleve and exports it
// for the browser client in assets/search/search.js.
//
// The index is one Bleve (scorch, in memory) index of plain documents: one Doc
// per page and per section of a page. Index.Search answers the canonical query
// with Bleve itself; Index.Export writes the dictionary, postings and field
// lengths, read back through Bleve's own reader API, as small JavaScript files
// that the client loads with <script> tags (so it works from file://). The
// client analyses a query as Bleve's "en" analyzer does, builds the same query
// tree as buildQuery and scores it with the same tf-idf formulas, so the
// browser's ranking equals Bleve's (see generator/internal/search/testdata).
//
// Scoring model: Bleve's default tf-idf. Scorch's BM25 could be reproduced too,
// but its average field length is ceil(distinct terms / docs), which depends on
// how documents fall into segments and is not a length average, so BM25 would
// not rank better here and would make the export depend on segmenting.
package search

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
)

// Doc is one searchable unit: a page, or one section of a page (then URL
// carries the section's fragment so that a result opens the exact section).
type Doc struct {
	ID       string
	URL      string
	Title    string
	Section  string
	Headings []string
	Aliases  []string
	Body     string
	Category string
}

// Hit is one search result, ranked by Score (Bleve's tf-idf score).
type Hit struct {
	ID      string  `json:"id"`
	URL     string  `json:"url"`
	Title   string  `json:"title"`
	Section string  `json:"section"`
	Score   float64 `json:"score"`
}

// Field names of the Bleve mapping, in the order the export and the client use.
var fieldNames = [...]string{"title", "aliases", "headings", "body"}

// Query-time boosts per field, in fieldNames order.
var fieldBoosts = [...]float64{3, 3, 2, 1}

// Query construction limits; they travel in the exported entry file so the
// client builds exactly the same query.
const (
	fuzzy1Runes  = 4  // a word of this many runes gets edit distance 1
	fuzzy2Runes  = 8  // and of this many, edit distance 2
	prefixRunes  = 2  // the word being typed is prefix-matched from this length
	maxTerms     = 16 // words of a query beyond this are ignored
	maxTermRunes = 64 // longer tokens are not words anyone types; ignored
	// smallDict is the number of distinct terms up to which fuzzy queries
	// consider every term (typos in the first letter are found); above it
	// the first letter must match, so that the browser loads the dictionary
	// of one letter only.
	smallDict = 8000
)

// Every disjunction is Bleve's slice searcher, which sums its children in
// the order sort.Sort leaves them by Count, whatever their number: above
// DisjunctionHeapTakeover (10) children Bleve would use its heap searcher,
// which sums each document's children in the order they leave a heap keyed
// by internal doc number. That order follows the segment's doc order, which
// a batch makes random (it walks a map), so equal scores differed in their
// last bits from build to build and from the client's sum; with identical
// sections in many notes, ties flipped (1-2 of 348 queries on 1,000
// mkcorpus notes, and 4 of 348 between two builds of the same notes).
func init() { searcher.DisjunctionHeapTakeover = math.MaxInt }

// Index is a built search index and the documents it holds.
type Index struct {
	idx  bleve.Index
	docs []Doc // sorted by ID: the dense doc numbers of the export
	pos  map[string]int
	// fuzzyPrefix is Bleve's FuzzyQuery prefix length: 0 or 1 runes.
	fuzzyPrefix int
	an          *analyzer
	sizes       shardSizes
}

// Build indexes docs. IDs must be unique and non-empty.
func Build(docs []Doc) (*Index, error) {
	return BuildContext(context.Background(), docs)
}

// batchDocs is how many documents are indexed in one batch, between two
// looks at a context that can end: at 10,000 notes a batch takes a few
// hundred milliseconds, the whole index several seconds. Bleve holds the
// analysis of a whole batch until it makes the batch's segment: one batch
// of every document, as gen build once used, held 0.7 GB of token lists
// at 10,000 notes. Batches of 4,096 took its peak RSS from 5.2 to 4.1-4.4
// GB and its wall time from 38.1 to 36.1 s (two alternating runs each);
// batches of 1,024 and 512 kept that RSS but cost 3-5 s more of CPU.
const batchDocs = 4096

// BuildContext is Build for a job that may be called off, such as the
// preview's index made again in the background after edits: when ctx can
// end, the documents are indexed in batches, and BuildContext returns
// ctx's error between two of them.
func BuildContext(ctx context.Context, docs []Doc) (*Index, error) {
	return buildBatches(ctx, docs, batchDocs)
}

func buildBatches(ctx context.Context, docs []Doc, size int) (*Index, error) {
	an, err := newAnalyzer()
	if err != nil {
		return nil, err
	}
	sorted := make([]Doc, len(docs))
	copy(sorted, docs)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	pos := make(map[string]int, len(sorted))
	for i, d := range sorted {
		if d.ID == "" {
			return nil, errors.New("search: document with an empty ID")
		}
		if _, dup := pos[d.ID]; dup {
			return nil, fmt.Errorf("search: duplicate document ID %q", d.ID)
		}
		pos[d.ID] = i
	}
	idx, err := bleve.NewUsing("", indexMapping(), scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, err
	}
	// The index is the same whatever the batches: documents are added in
	// the order of their IDs.
	if size < 1 {
		size = max(len(sorted), 1)
	}
	for start := 0; start == 0 || start < len(sorted); start += size {
		if err := ctx.Err(); err != nil {
			_ = idx.Close()
			return nil, err
		}
		b := idx.NewBatch()
		for _, d := range sorted[start:min(start+size, len(sorted))] {
			if err := b.Index(d.ID, map[string]interface{}{
				"title":    d.Title,
				"aliases":  strings.Join(d.Aliases, "\n"),
				"headings": strings.Join(d.Headings, "\n"),
				"body":     d.Body,
			}); err != nil {
				_ = idx.Close()
				return nil, err
			}
		}
		if err := idx.Batch(b); err != nil {
			_ = idx.Close()
			return nil, err
		}
	}
	ix := &Index{idx: idx, docs: sorted, pos: pos, an: an,
		sizes: shardSizes{post: postShardGz, dict: dictShardGz, single: singleShardGz,
			big: bigList, chunk: firstChunk, folder: shardsPerFolder}}
	n, err := ix.distinctTerms()
	if err != nil {
		_ = idx.Close()
		return nil, err
	}
	if n > smallDict {
		ix.fuzzyPrefix = 1
	}
	return ix, nil
}

// Close releases the Bleve index.
func (ix *Index) Close() error { return ix.idx.Close() }

// Len is the number of documents.
func (ix *Index) Len() int { return len(ix.docs) }

func indexMapping() mapping.IndexMapping {
	im := bleve.NewIndexMapping()
	im.DefaultAnalyzer = en.AnalyzerName
	dm := bleve.NewDocumentStaticMapping()
	for _, f := range fieldNames {
		fm := bleve.NewTextFieldMapping()
		fm.Analyzer = en.AnalyzerName
		fm.Store = false
		fm.IncludeTermVectors = false
		fm.IncludeInAll = false
		fm.DocValues = false
		dm.AddFieldMappingsAt(f, fm)
	}
	// No "_all" field: queries name their fields, and Bleve would
	// otherwise give every document an empty composite field to visit
	// and write.
	dm.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())
	im.DefaultMapping = dm
	return im
}

func (ix *Index) distinctTerms() (int, error) {
	adv, err := ix.idx.Advanced()
	if err != nil {
		return 0, err
	}
	r, err := adv.Reader()
	if err != nil {
		return 0, err
	}
	defer r.Close()
	seen := map[string]struct{}{}
	for _, f := range fieldNames {
		fd, err := r.FieldDict(f)
		if err != nil {
			return 0, err
		}
		for de, err := fd.Next(); de != nil && err == nil; de, err = fd.Next() {
			seen[de.Term] = struct{}{}
		}
		_ = fd.Close()
	}
	return len(seen), nil
}

// analyzer is Bleve's "en" chain taken apart, so that a query keeps what the
// stop filter would drop (the word being typed may be a stop word) and where
// each token ends. Terms equal en.Analyze's output by construction: the same
// registered components run in the same order (TestQueryAnalysisMatchesEn).
type analyzer struct {
	tok               analysis.Tokenizer
	poss, lower, stem analysis.TokenFilter
	stop              analysis.TokenMap
}

func newAnalyzer() (*analyzer, error) {
	c := registry.NewCache()
	var a analyzer
	var err error
	if a.tok, err = c.TokenizerNamed(unicode.Name); err != nil {
		return nil, err
	}
	if a.poss, err = c.TokenFilterNamed(en.PossessiveName); err != nil {
		return nil, err
	}
	if a.lower, err = c.TokenFilterNamed(lowercase.Name); err != nil {
		return nil, err
	}
	if a.stem, err = c.TokenFilterNamed(porter.Name); err != nil {
		return nil, err
	}
	if a.stop, err = c.TokenMapNamed(en.StopName); err != nil {
		return nil, err
	}
	return &a, nil
}

// word is one query word after analysis.
type word struct {
	lower   string // after possessive removal and lowercasing
	stem    string // after Porter; empty for a stop word
	partial bool   // nothing follows it: the word being typed
}

func (a *analyzer) words(q string) []word {
	toks := a.tok.Tokenize([]byte(q))
	ends := make([]int, len(toks))
	for i, t := range toks {
		ends[i] = t.End
	}
	toks = a.lower.Filter(a.poss.Filter(toks))
	ws := make([]word, len(toks))
	for i, t := range toks {
		ws[i] = word{lower: string(t.Term), partial: i == len(toks)-1 && ends[i] == len(q)}
	}
	for i := range ws {
		if _, stop := a.stop[ws[i].lower]; stop {
			continue
		}
		st := a.stem.Filter(analysis.TokenStream{{Term: []byte(ws[i].lower)}})
		ws[i].stem = string(st[0].Term)
	}
	return ws
}

// clause is one leaf query of a field: a term, a fuzzy term or a prefix.
type clause struct {
	kind string // "term", "fuzzy" or "prefix"
	text string
	dist int // fuzziness of a fuzzy clause
}

// plan turns a query string into the clauses every field gets. The client's
// plan() in search.js must stay identical to it.
//
// Complete words are matched by their stem: a term query below fuzzy1Runes,
// else a fuzzy query (distance 1, or 2 from fuzzy2Runes) whose exact match
// keeps the full boost. The word being typed (the last one, when nothing
// follows it) is also prefix-matched: by its stem, which is what the index
// holds, or by its lowercase form when it is a stop word so far.
func (ix *Index) plan(q string) []clause {
	ws := ix.an.words(q)
	var stems []string
	seen := map[string]bool{}
	prefix := ""
	for _, w := range ws {
		if w.partial && utf8.RuneCountInString(w.lower) >= prefixRunes &&
			utf8.RuneCountInString(w.lower) <= maxTermRunes {
			if w.stem == "" {
				prefix = w.lower
			} else {
				prefix = w.stem
			}
		}
		if w.stem == "" || seen[w.stem] || utf8.RuneCountInString(w.stem) > maxTermRunes {
			continue
		}
		seen[w.stem] = true
		stems = append(stems, w.stem)
	}
	if len(stems) > maxTerms {
		stems, prefix = stems[:maxTerms], ""
	}
	var cs []clause
	for _, s := range stems {
		switch n := utf8.RuneCountInString(s); {
		case n >= fuzzy2Runes:
			cs = append(cs, clause{"fuzzy", s, 2})
		case n >= fuzzy1Runes:
			cs = append(cs, clause{"fuzzy", s, 1})
		default:
			cs = append(cs, clause{"term", s, 0})
		}
	}
	if prefix != "" {
		cs = append(cs, clause{"prefix", prefix, 0})
	}
	return cs
}

// buildQuery is the canonical query: a disjunction over the fields of a
// disjunction over the clauses, each leaf carrying its field's boost. Bleve
// applies coord (matched/total children) at both levels and in the expansion
// of every prefix and fuzzy clause.
func (ix *Index) buildQuery(cs []clause) query.Query {
	fields := make([]query.Query, len(fieldNames))
	for i, f := range fieldNames {
		qs := make([]query.Query, len(cs))
		for j, c := range cs {
			switch c.kind {
			case "term":
				t := query.NewTermQuery(c.text)
				t.SetField(f)
				t.SetBoost(fieldBoosts[i])
				qs[j] = t
			case "fuzzy":
				t := query.NewFuzzyQuery(c.text)
				t.SetField(f)
				t.SetBoost(fieldBoosts[i])
				t.SetFuzziness(c.dist)
				t.SetPrefix(ix.fuzzyPrefix)
				qs[j] = t
			case "prefix":
				t := query.NewPrefixQuery(c.text)
				t.SetField(f)
				t.SetBoost(fieldBoosts[i])
				qs[j] = t
			}
		}
		fields[i] = query.NewDisjunctionQuery(qs)
	}
	return query.NewDisjunctionQuery(fields)
}

// Search answers q with Bleve: at most limit hits, best first, ties in ID
// order. A query with no searchable word has no hits.
func (ix *Index) Search(q string, limit int) ([]Hit, error) {
	return ix.SearchContext(context.Background(), q, limit)
}

// SearchContext is Search with a context.
func (ix *Index) SearchContext(ctx context.Context, q string, limit int) ([]Hit, error) {
	cs := ix.plan(q)
	if len(cs) == 0 || len(ix.docs) == 0 || limit <= 0 {
		return nil, nil
	}
	req := bleve.NewSearchRequestOptions(ix.buildQuery(cs), limit, 0, false)
	req.SortBy([]string{"-_score", "_id"})
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	hits := make([]Hit, 0, len(res.Hits))
	for _, h := range res.Hits {
		d := ix.docs[ix.pos[h.ID]]
		hits = append(hits, Hit{ID: d.ID, URL: d.URL, Title: d.Title, Section: d.Section, Score: h.Score})
	}
	return hits, nil
}

// Explain returns Bleve's score explanation of the top hits, for debugging a
// ranking difference.
func (ix *Index) Explain(q string, limit int) (string, error) {
	cs := ix.plan(q)
	if len(cs) == 0 {
		return "", nil
	}
	req := bleve.NewSearchRequestOptions(ix.buildQuery(cs), limit, 0, true)
	req.SortBy([]string{"-_score", "_id"})
	res, err := ix.idx.Search(req)
	if err != nil {
		return "", err
	}
	return res.String(), nil
}
