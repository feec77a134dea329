// Package resolve maps names in note text to the entities of the catalog.
//
// Notes name services in many ways: "Kinesis Data Firehose", "KDF",
// "Amazon Kinesis Firehose", "Fireshose", "Kinesis firehouse", "Data
// Streams" inside a Kinesis section. A Resolver holds every name of every
// entity in a normalised form and finds the longest name at each position
// of a text, trying in turn: an exact name (case, punctuation, a leading
// "Amazon"/"AWS" and plurals do not matter), the same words in another
// order, a word that names an entity only in the current context, an
// abbreviation the note itself defined, and finally a misspelling within a
// small edit distance.
//
// Precision matters more than recall: a wrong link misleads a learner, a
// missing one only costs a click. So misspellings are matched only for
// words long enough to tell apart, never for ordinary English words unless
// another word of the same name matched exactly or the name follows
// "Amazon"/"AWS", and a name that is ambiguous outside its context is left
// unresolved.
package resolve

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
)

// Entry is one entity as the resolver sees it.
type Entry struct {
	ID         string
	Names      []string // canonical name, aliases and former names
	Contextual []string // names that count only in the entity's context
	Parent     string   // the family the entity belongs to, or ""
}

// How says how a name was matched.
type How string

// The ways a name can match, from most to least certain.
const (
	Exact      How = "exact"
	WordOrder  How = "word-order"
	Abbrev     How = "abbreviation"
	Contextual How = "context"
	Fuzzy      How = "fuzzy"
)

// Match is one name found in a text.
type Match struct {
	Start, End int    // byte offsets of the name in the text
	Text       string // the name as written
	Entity     string
	How        How
	Score      float64 // 1 for an exact name, less for a fuzzy or contextual one
}

// Context is what the resolver knows of where a text stands.
type Context struct {
	// Entities are the entities of the enclosing sections, nearest first,
	// and any that the section compares. Contextual names of these
	// entities, of their families and of their siblings count.
	Entities []string
	// Abbrevs maps abbreviations the note defined ("KDF") to entities.
	Abbrevs map[string]string
}

// Resolver finds entity names in text. It is safe for concurrent use.
type Resolver struct {
	exact      map[string][]string // normalised name → entity ids
	sorted     map[string][]string // normalised words, sorted → entity ids
	contextual map[string][]string
	// capsOf holds, for contextual names of several words written with
	// capitals ("Data Analytics"), which words must be capitalised in the
	// text too: lowercase "data analytics" is the activity, not the service.
	capsOf   map[string][]bool
	dict     map[string]bool     // every normalised word of every name
	deletes  map[string][]string // word with one or two letters deleted → dict words
	prefix5  map[string][]string // first five letters → dict words, for truncated words
	parent   map[string]string
	children map[string][]string
	firstMax map[string]int  // first word of a name → most words of a name starting with it
	words    map[string]bool // ordinary English words
	maxN     int
	// names holds the exact and contextual names word by word, so that
	// the names starting at a word of a text are found by walking its
	// words, not by joining and looking up every span of them.
	names *nameNode

	// seen holds what is known of each word as written, made the first
	// time the word is met: notes repeat their words, and the lookups and
	// the search for misspellings are the costly part of resolving.
	seen sync.Map // word as written → *word
	// local holds per-goroutine scratch: a map in front of seen, which a
	// goroutine reads without the cost of a concurrent map, and the
	// buffers of a Find.
	local sync.Pool // *scratch
}

// nameNode is a node of Resolver.names: the names whose normalised words
// are the path to it end there, exact (the exact map's ids for the
// words joined) or contextual (the contextual map's, and capsOf's).
type nameNode struct {
	next       map[string]*nameNode
	exact, ctx []string
	caps       []bool
}

// add returns the node of the path words from n, made as needed.
func (n *nameNode) add(words []string) *nameNode {
	for _, w := range words {
		c := n.next[w]
		if c == nil {
			if n.next == nil {
				n.next = map[string]*nameNode{}
			}
			c = &nameNode{}
			n.next[w] = c
		}
		n = c
	}
	return n
}

// maxWalk is how many words a walk of Resolver.names keeps the nodes of
// on the stack; a longer name is looked up as a joined key.
const maxWalk = 16

// scratch is what one Find works with, kept from one call to the next.
type scratch struct {
	words   map[string]*word
	toks    []token
	cache   [][]candidate
	english []bool
	done    []bool
}

// word is what the resolver knows of one word as written. It is made once
// per spelling and shared by every text that holds it; the fields made on
// first use are atomic, as goroutines share the word.
type word struct {
	norm, lower string
	dict        bool // norm is a word of a name
	known       bool // dict, or a leading "Amazon"/"AWS"
	prefix      bool // "Amazon" or "AWS"
	prefixTypo  bool // a misspelt "Amazon"
	english     bool // an ordinary English word
	firstMax    int  // most words of a name starting with this word
	// names is the node of Resolver.names the word leads to from its
	// root: the names that start with it; nil for most words.
	names *nameNode
	cands atomic.Pointer[candResult]
	near  atomic.Int32 // nearWord of lower: 0 not yet known, 1 no, 2 yes
}

type candResult struct {
	cs      []candidate
	english bool
}

// wordCands returns the word's misspelling candidates, made on first use.
func (r *Resolver) wordCands(w *word) *candResult {
	if c := w.cands.Load(); c != nil {
		return c
	}
	cs, english := r.candidates(token{norm: w.norm, lower: w.lower})
	c := &candResult{cs, english}
	w.cands.Store(c)
	return c
}

// isNearWord is nearWord of the word as written in lowercase, made on
// first use.
func (r *Resolver) isNearWord(w *word) bool {
	switch w.near.Load() {
	case 1:
		return false
	case 2:
		return true
	}
	near := r.nearWord(w.lower)
	if near {
		w.near.Store(2)
	} else {
		w.near.Store(1)
	}
	return near
}

// lookup returns the word w as written, from the goroutine's map, the
// shared map, or made now.
func (r *Resolver) lookup(w string, local map[string]*word) *word {
	if v, ok := local[w]; ok {
		return v
	}
	if v, ok := r.seen.Load(w); ok {
		local[strings.Clone(w)] = v.(*word)
		return v.(*word)
	}
	lower := strings.ToLower(w)
	norm := Normalize(lower)
	v := &word{
		norm:       norm,
		lower:      lower,
		dict:       r.dict[norm],
		prefix:     prefixWords[norm],
		prefixTypo: isPrefixTypo(norm),
		english:    r.words[norm] || r.words[lower],
		firstMax:   r.firstMax[norm],
		names:      r.names.next[norm],
	}
	v.known = v.dict || v.prefix
	// The key is a copy: w is part of a text that must not be kept.
	key := strings.Clone(w)
	if old, loaded := r.seen.LoadOrStore(key, v); loaded {
		v = old.(*word)
	}
	local[key] = v
	return v
}

// getScratch returns a goroutine's scratch, to give back with putScratch.
func (r *Resolver) getScratch() *scratch {
	if sc, ok := r.local.Get().(*scratch); ok {
		return sc
	}
	return &scratch{words: map[string]*word{}}
}

func (r *Resolver) putScratch(sc *scratch) {
	clear(sc.cache) // candidates are shared words' lists: drop the references
	r.local.Put(sc)
}

//go:embed words.txt.gz
var wordsGz []byte

// englishWords decodes the embedded word list once per process. The set
// is constant data, like a compiled regular expression, and never changes
// after it is made; decoding it takes tens of milliseconds, which a
// preview server must not pay on every rebuild.
var englishWords = sync.OnceValue(func() map[string]bool {
	zr, err := gzip.NewReader(bytes.NewReader(wordsGz))
	if err != nil {
		return map[string]bool{}
	}
	words := make(map[string]bool, 64000)
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		words[sc.Text()] = true
	}
	return words
})

// New builds a Resolver for entries.
func New(entries []Entry) *Resolver {
	r := &Resolver{
		exact:      map[string][]string{},
		sorted:     map[string][]string{},
		contextual: map[string][]string{},
		capsOf:     map[string][]bool{},
		dict:       map[string]bool{},
		deletes:    map[string][]string{},
		prefix5:    map[string][]string{},
		parent:     map[string]string{},
		children:   map[string][]string{},
		firstMax:   map[string]int{},
		words:      englishWords(),
		names:      &nameNode{},
	}
	for _, e := range entries {
		r.parent[e.ID] = e.Parent
		if e.Parent != "" {
			r.children[e.Parent] = append(r.children[e.Parent], e.ID)
		}
		for _, name := range e.Names {
			toks := nameTokens(name)
			if len(toks) == 0 {
				continue
			}
			key := strings.Join(toks, " ")
			r.exact[key] = appendUnique(r.exact[key], e.ID)
			node := r.names.add(toks)
			node.exact = r.exact[key]
			r.firstMax[toks[0]] = max(r.firstMax[toks[0]], len(toks))
			if len(toks) > 1 {
				s := slices.Clone(toks)
				slices.Sort(s)
				sk := strings.Join(s, " ")
				r.sorted[sk] = appendUnique(r.sorted[sk], e.ID)
			}
			for _, t := range toks {
				r.addWord(t)
			}
			r.maxN = max(r.maxN, len(toks))
		}
		for _, name := range e.Contextual {
			toks := nameTokens(name)
			if len(toks) == 0 {
				continue
			}
			key := strings.Join(toks, " ")
			r.contextual[key] = appendUnique(r.contextual[key], e.ID)
			node := r.names.add(toks)
			node.ctx = r.contextual[key]
			r.firstMax[toks[0]] = max(r.firstMax[toks[0]], len(toks))
			if len(toks) > 1 {
				var caps []bool
				for _, w := range strings.Fields(name) {
					caps = append(caps, unicode.IsUpper(firstRune(w)))
				}
				if len(caps) == len(toks) {
					r.capsOf[key] = caps
					node.caps = caps
				}
			}
			r.maxN = max(r.maxN, len(toks))
		}
	}
	return r
}

func appendUnique(s []string, v string) []string {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

func (r *Resolver) addWord(w string) {
	if r.dict[w] {
		return
	}
	r.dict[w] = true
	if len(w) > 5 {
		r.prefix5[w[:5]] = append(r.prefix5[w[:5]], w)
	}
	if utf8.RuneCountInString(w) < 5 {
		return // too short to match misspelt: see allowedEdits
	}
	for d1 := range deletions(w) {
		r.deletes[d1] = appendUnique(r.deletes[d1], w)
		for d2 := range deletions(d1) {
			r.deletes[d2] = appendUnique(r.deletes[d2], w)
		}
	}
}

// deletions yields w with one letter removed, each way.
func deletions(w string) map[string]bool {
	out := map[string]bool{}
	for i := range w {
		_, size := utf8.DecodeRuneInString(w[i:])
		out[w[:i]+w[i+size:]] = true
	}
	return out
}

// prefixWords are the words that often come before a service's name and
// are not part of it.
var prefixWords = map[string]bool{"amazon": true, "aws": true}

// nameTokens returns the normalised words of a catalog name, without a
// leading "Amazon" or "AWS".
func nameTokens(name string) []string {
	var out []string
	for _, t := range tokenize(name) {
		out = append(out, t.norm)
	}
	for len(out) > 1 && prefixWords[out[0]] {
		out = out[1:]
	}
	return out
}

type token struct {
	norm       string // Normalize of the word
	lower      string // the word in lowercase, plural kept
	start, end int
	w          *word
}

// tokenize splits s into words of letters and digits. A possessive "'s"
// ends a word.
func tokenize(s string) []token {
	var toks []token
	splitWords(s, func(start, end int) {
		w := s[start:end]
		toks = append(toks, token{norm: Normalize(w), lower: strings.ToLower(w), start: start, end: end})
	})
	return toks
}

// tokens is tokenize with each word looked up in the resolver's words.
func (r *Resolver) tokens(s string, sc *scratch) []token {
	toks := sc.toks[:0]
	splitWords(s, func(start, end int) {
		w := r.lookup(s[start:end], sc.words)
		toks = append(toks, token{norm: w.norm, lower: w.lower, start: start, end: end, w: w})
	})
	sc.toks = toks
	return toks
}

// resized returns s with n zero elements, reusing its array when it can.
func resized[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// splitWords calls fn with the offsets of each word of s.
func splitWords(s string, fn func(start, end int)) {
	i := 0
	for i < len(s) {
		ok, size := wordRuneAt(s, i)
		if !ok {
			i += size
			continue
		}
		start := i
		for i < len(s) {
			ok, size := wordRuneAt(s, i)
			if !ok {
				break
			}
			i += size
		}
		fn(start, i)
		// Skip a possessive: "Kinesis's" and "Kinesis’s".
		for _, apo := range []string{"'s", "’s"} {
			if strings.HasPrefix(s[i:], apo) && (i+len(apo) == len(s) || !isWordRune(firstRune(s[i+len(apo):]))) {
				i += len(apo)
			}
		}
	}
}

// wordRuneAt reports whether the rune at s[i:] is a letter or digit, and
// its size; ASCII, most of a note, is told without decoding.
func wordRuneAt(s string, i int) (bool, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9', 1
	}
	r, size := utf8.DecodeRuneInString(s[i:])
	return isWordRune(r), size
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// Normalize returns the form of a word that names are compared in:
// lowercase and singular.
func Normalize(w string) string {
	w = strings.ToLower(w)
	n := len(w)
	switch {
	case n > 4 && strings.HasSuffix(w, "ies"):
		return w[:n-3] + "y"
	case n > 3 && strings.HasSuffix(w, "s") &&
		!strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:n-1]
	}
	return w
}

// allowedEdits is how many edits a misspelling of a dictionary word may
// have: none for short words, where one edit makes another word ("hive",
// "have"), one for words of five or more letters, and two for long words,
// from seven letters when another word of the name is spelt right
// ("elatsit search"), else from eight.
func allowedEdits(word string, anchored bool) int {
	switch n := utf8.RuneCountInString(word); {
	case n < 5:
		return 0
	case n >= 8, anchored && n >= 7:
		return 2
	default:
		return 1
	}
}

// candidate is a dictionary word that a text word may stand for.
type candidate struct {
	word  string
	edits int
}

// candidates returns the dictionary words that the text word w may stand
// for: w itself if it is one, else its near misspellings, else nothing.
// english reports whether w is an ordinary English word, which a caller
// may accept as a misspelling only with other evidence.
func (r *Resolver) candidates(t token) (cs []candidate, english bool) {
	w := t.norm
	if r.dict[w] {
		return []candidate{{w, 0}}, false
	}
	// Short words and words with digits ("S3", "1000") are matched
	// exactly or not at all.
	if utf8.RuneCountInString(t.lower) < 4 || strings.IndexFunc(w, unicode.IsDigit) >= 0 {
		return nil, false
	}
	english = r.words[w] || r.words[t.lower]
	seen := map[string]bool{}
	try := func(d string) {
		if seen[d] {
			return
		}
		seen[d] = true
		// Compare with the word as written too: "Kines" must not lose its
		// "s" before it is compared with "kinesis".
		e := min(osa(w, d), osa(t.lower, d))
		if e > 0 && e <= allowedEdits(d, true) {
			cs = append(cs, candidate{d, e})
		}
	}
	for _, d := range r.deletes[w] {
		try(d)
	}
	for d1 := range deletions(w) {
		if r.dict[d1] {
			try(d1)
		}
		for _, d := range r.deletes[d1] {
			try(d)
		}
		for d2 := range deletions(d1) {
			if r.dict[d2] {
				try(d2)
			}
			for _, d := range r.deletes[d2] {
				try(d)
			}
		}
	}
	if t.lower != w {
		for _, d := range r.deletes[t.lower] {
			try(d)
		}
		for d1 := range deletions(t.lower) {
			if r.dict[d1] {
				try(d1)
			}
		}
	}
	// A truncated word: "Kines" for "Kinesis".
	if len(cs) == 0 && len(t.lower) >= 5 {
		for _, d := range r.prefix5[t.lower[:5]] {
			if len(d) > len(t.lower) && len(d)-len(t.lower) <= 3 && strings.HasPrefix(d, t.lower) {
				cs = append(cs, candidate{d, 1})
			}
		}
	}
	slices.SortFunc(cs, func(a, b candidate) int {
		if a.edits != b.edits {
			return a.edits - b.edits
		}
		return strings.Compare(a.word, b.word)
	})
	return cs, english
}

// osa is the optimal string alignment distance between a and b: the
// number of insertions, deletions, substitutions and swaps of two
// neighbouring letters that turn a into b.
func osa(a, b string) int {
	ar, br := []rune(a), []rune(b)
	n, m := len(ar), len(br)
	d := make([][]int, n+1)
	for i := range d {
		d[i] = make([]int, m+1)
		d[i][0] = i
	}
	for j := 0; j <= m; j++ {
		d[0][j] = j
	}
	for i := 1; i <= n; i++ {
		for j := 1; j <= m; j++ {
			cost := 1
			if ar[i-1] == br[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ar[i-1] == br[j-2] && ar[i-2] == br[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[n][m]
}

// Find returns the entity names in text, left to right, without overlaps;
// at each position the longest name wins.
func (r *Resolver) Find(text string, ctx Context) []Match {
	sc := r.getScratch()
	defer r.putScratch(sc)
	toks := r.tokens(text, sc)
	sc.cache = resized(sc.cache, len(toks))
	sc.english = resized(sc.english, len(toks))
	sc.done = resized(sc.done, len(toks))
	cache, english, done := sc.cache, sc.english, sc.done
	known := func(i int) bool {
		return i >= 0 && i < len(toks) && toks[i].w.known
	}
	cands := func(i int) []candidate {
		if !done[i] {
			done[i] = true
			w := toks[i].w
			// An ordinary English word can stand for a misspelt name only
			// next to a word of a name ("Kinesis firehouse"); most words of
			// a note are ordinary, so this skips most of the work.
			if !w.dict && w.english && !known(i-1) && !known(i+1) {
				english[i] = true
				return nil
			}
			c := r.wordCands(w)
			cache[i], english[i] = c.cs, c.english
		}
		return cache[i]
	}
	allowed := &ctxSet{r: r, ctx: ctx}
	var out []Match
	for i := 0; i < len(toks); {
		m, n := r.matchAt(text, toks, i, cands, english, allowed, ctx)
		if n == 0 {
			i++
			continue
		}
		out = append(out, m)
		i += n
	}
	return out
}

// matchAt tries the names that start at word i, longest first, and
// returns the best with the number of words it spans (0 for none).
func (r *Resolver) matchAt(text string, toks []token, i int, cands func(int) []candidate, english []bool, allowed *ctxSet, ctx Context) (Match, int) {
	// A leading "Amazon"/"AWS" (or a misspelling such as "Amazone") is part
	// of the name as written but not of the name as stored.
	skip := 0
	if toks[i].w.prefix || (toks[i].w.prefixTypo && i+1 < len(toks)) {
		skip = 1
	}
	for s := skip; s >= 0; s-- {
		j := i + s
		if j >= len(toks) {
			continue
		}
		// Most words start no name: bound the spans worth trying by the
		// names that start with this word, and by four words for a
		// misspelt or reordered name, if the word could be part of one.
		limit := toks[j].w.firstMax
		if ctx.Abbrevs != nil {
			if _, ok := ctx.Abbrevs[toks[j].norm]; ok {
				limit = max(limit, 1)
			}
		}
		if toks[j].w.dict || len(cands(j)) > 0 {
			limit = max(limit, min(4, r.maxN))
		}
		limit = min(limit, len(toks)-j)
		// The names that start at word j, by how many words they have:
		// walked once for all the spans below.
		var nodes [maxWalk]*nameNode
		walked := limit <= maxWalk
		if walked && limit > 0 {
			node := toks[j].w.names
			nodes[0] = node
			for k := 1; k < limit && node != nil; k++ {
				node = node.next[toks[j+k].norm]
				nodes[k] = node
			}
		}
		for n := limit; n >= 1; n-- {
			var node *nameNode
			if walked {
				node = nodes[n-1]
			} else {
				node = r.nodeOf(toks[j : j+n])
			}
			if m, ok := r.matchSpan(text, toks, j, n, node, cands, english, allowed, ctx, s > 0); ok {
				m.Start = toks[i].start
				m.Text = text[m.Start:m.End]
				return m, s + n
			}
		}
	}
	return Match{}, 0
}

// isPrefixTypo reports whether w is a misspelt "Amazon" ("Amazone",
// "Amazzon").
func isPrefixTypo(w string) bool {
	return len(w) >= 5 && len(w) <= 7 && (w[0] == 'a' || w[1] == 'm') && osa(w, "amazon") <= 1
}

// joinable reports whether the words j..j+n of text can form one name:
// only spaces, hyphens, slashes, dots, ampersands and emphasis marks may
// separate them, so
// that a name never runs across a comma or an arrow ("Device Shadow, IoT").
func joinable(text string, toks []token, j, n int) bool {
	for k := j; k < j+n-1; k++ {
		gap := text[toks[k].end:toks[k+1].start]
		if len(gap) > 3 {
			return false
		}
		for i := 0; i < len(gap); i++ {
			switch gap[i] {
			case ' ', '-', '/', '.', '&', '_', '\'', '*', '`':
			default:
				return false
			}
		}
	}
	return true
}

// nodeOf returns the node of Resolver.names that the words of toks lead
// to, or nil.
func (r *Resolver) nodeOf(toks []token) *nameNode {
	node := r.names
	for k := 0; k < len(toks) && node != nil; k++ {
		node = node.next[toks[k].norm]
	}
	return node
}

// matchSpan tries the words j..j+n of text as one name; node is where
// their words lead in Resolver.names (nil: no name has them).
func (r *Resolver) matchSpan(text string, toks []token, j, n int, node *nameNode, cands func(int) []candidate, english []bool, allowed *ctxSet, ctx Context, prefixed bool) (Match, bool) {
	if n > 1 && !joinable(text, toks, j, n) {
		return Match{}, false
	}
	allDict := true
	for k := range n {
		allDict = allDict && toks[j+k].w.dict
	}
	end := toks[j+n-1].end
	mk := func(id string, how How, score float64) (Match, bool) {
		return Match{Start: toks[j].start, End: end, Entity: id, How: how, Score: score}, true
	}
	if node != nil && len(node.exact) > 0 {
		if id, ok := r.pick(node.exact, allowed); ok {
			return mk(id, Exact, 1)
		}
		return Match{}, false
	}
	if n == 1 && ctx.Abbrevs != nil {
		if id, ok := ctx.Abbrevs[toks[j].norm]; ok {
			return mk(id, Abbrev, 0.95)
		}
	}
	if n > 1 && allDict {
		s := make([]string, n)
		for k := range n {
			s[k] = toks[j+k].norm
		}
		slices.Sort(s)
		var sb [96]byte
		if ids := r.sorted[string(joinWords(sb[:0], s))]; len(ids) > 0 {
			if id, ok := r.pick(ids, allowed); ok {
				return mk(id, WordOrder, 0.9)
			}
		}
	}
	if node != nil && len(node.ctx) > 0 && capsMatch(node.caps, text, toks, j) {
		if id, ok := r.inContext(node.ctx, allowed); ok {
			return mk(id, Contextual, 0.85)
		}
	}
	if allDict {
		return Match{}, false // every word is spelt right: no misspelling to find
	}
	return r.fuzzySpan(toks, j, n, cands, english, allowed, prefixed, mk)
}

// joinWords appends words to buf with a space between each, as names'
// keys are joined: a buffer on the stack makes a key that the maps are
// read with (string(key) in an index does not allocate).
func joinWords(buf []byte, words []string) []byte {
	for i, w := range words {
		if i > 0 {
			buf = append(buf, ' ')
		}
		buf = append(buf, w...)
	}
	return buf
}

// inContext returns the one entity of ids, the entities of a contextual
// name, that is in context.
func (r *Resolver) inContext(ids []string, allowed *ctxSet) (string, bool) {
	var in []string
	for _, id := range ids {
		if allowed.has(id) {
			in = append(in, id)
		}
	}
	if len(in) == 1 {
		return in[0], true
	}
	return "", false
}

// capsMatch reports whether the words j.. of text are capitalised where
// a contextual name's caps require it.
func capsMatch(caps []bool, text string, toks []token, j int) bool {
	for k, upper := range caps {
		if upper && !unicode.IsUpper(firstRune(text[toks[j+k].start:])) {
			return false
		}
	}
	return true
}

// fuzzySpan tries the names that the words j..j+n may be a misspelling
// of. At most four words are tried, and at least one word must be spelt
// exactly unless the name follows "Amazon"/"AWS" or every misspelt word
// is no English word.
func (r *Resolver) fuzzySpan(toks []token, j, n int, cands func(int) []candidate, english []bool, allowed *ctxSet, prefixed bool, mk func(string, How, float64) (Match, bool)) (Match, bool) {
	if n > 4 {
		return Match{}, false
	}
	var allA, listsA [4][]candidate
	all := allA[:n]
	exactWords := 0
	for k := range n {
		all[k] = cands(j + k)
		if len(all[k]) == 0 {
			return Match{}, false
		}
		if all[k][0].edits == 0 {
			exactWords++
		}
	}
	if exactWords == n {
		return Match{}, false // an exact name would have matched already
	}
	anchored := exactWords > 0 || prefixed
	lists := listsA[:n]
	for k := range n {
		// Most lists keep every candidate: those share the word's list.
		pass := 0
		for _, c := range all[k] {
			if c.edits <= allowedEdits(c.word, anchored) {
				pass++
			}
		}
		if pass == len(all[k]) {
			lists[k] = all[k]
		} else {
			for _, c := range all[k] {
				if c.edits <= allowedEdits(c.word, anchored) {
					lists[k] = append(lists[k], c)
				}
			}
		}
		if len(lists[k]) == 0 {
			return Match{}, false
		}
	}
	for k := range n {
		if lists[k][0].edits > 0 && english[j+k] && !anchored {
			return Match{}, false
		}
		if lists[k][0].edits > 0 && !anchored && utf8.RuneCountInString(toks[j+k].norm) < 5 {
			return Match{}, false
		}
	}
	// Try every combination of candidates, fewest edits first; names are
	// short and candidates few, so this stays small.
	best, bestEdits := "", 1<<30
	var bestWords []string
	var rec func(k int, words []string, edits int)
	rec = func(k int, words []string, edits int) {
		if edits >= bestEdits {
			return
		}
		if k == n {
			// The key is joined on the stack, as matchSpan's: most
			// combinations name nothing.
			var kb [96]byte
			kbuf := joinWords(kb[:0], words)
			if ids := r.exact[string(kbuf)]; len(ids) > 0 {
				if id, ok := r.pick(ids, allowed); ok {
					best, bestEdits = id, edits
					bestWords = slices.Clone(words)
				}
			} else if id, ok := r.inContext(r.contextual[string(kbuf)], allowed); ok && n == 1 {
				// A misspelt word that names an entity in this context
				// ("Sterams" in a Kinesis section).
				best, bestEdits = id, edits
				bestWords = slices.Clone(words)
			}
			return
		}
		for _, c := range lists[k] {
			rec(k+1, append(words, c.word), edits+c.edits)
		}
	}
	rec(0, make([]string, 0, n), 0)
	if best == "" {
		return Match{}, false
	}
	// A misspelling closer to another word than to the name it matched is
	// a misspelling of that word: "databse" is "database", not "DataBrew".
	for k := range n {
		chosen := 0
		for _, c := range lists[k] {
			if c.word == bestWords[k] {
				chosen = c.edits
			}
		}
		// A cut-off word ("Kines" for "Kinesis") is no misspelling of
		// another word.
		if chosen == 0 || strings.HasPrefix(bestWords[k], toks[j+k].lower) {
			continue
		}
		if all[k][0].edits < chosen || (chosen >= 2 && r.isNearWord(toks[j+k].w)) {
			return Match{}, false
		}
		// A word of five letters has many neighbours: alone, its misspelling
		// must be two letters swapped, and no other ordinary word may be
		// one swap away ("sahrd" is "shard"; "shrad" may be "shad").
		if !anchored && utf8.RuneCountInString(toks[j+k].norm) < 6 &&
			(!isSwap(toks[j+k].norm, bestWords[k]) || r.swapWord(toks[j+k].norm, bestWords[k])) {
			return Match{}, false
		}
		// Two edits are a lot: they must not touch the first letter, which
		// people rarely get wrong ("metadata" is not "Teradata").
		if chosen >= 2 && !anchored && firstRune(bestWords[k]) != firstRune(toks[j+k].lower) {
			return Match{}, false
		}
	}
	return mk(best, Fuzzy, max(0.5, 1-0.1*float64(bestEdits)))
}

// isSwap reports whether a is b with two neighbouring letters swapped.
func isSwap(a, b string) bool {
	ar, br := []rune(a), []rune(b)
	if len(ar) != len(br) {
		return false
	}
	i := 0
	for i < len(ar) && ar[i] == br[i] {
		i++
	}
	return i+1 < len(ar) && ar[i] == br[i+1] && ar[i+1] == br[i] && string(ar[i+2:]) == string(br[i+2:])
}

// swapWord reports whether swapping two neighbouring letters of w makes
// an ordinary English word other than but.
func (r *Resolver) swapWord(w, but string) bool {
	rs := []rune(w)
	for i := 0; i+1 < len(rs); i++ {
		c := slices.Clone(rs)
		c[i], c[i+1] = c[i+1], c[i]
		if s := string(c); s != but && r.words[s] {
			return true
		}
	}
	return false
}

// nearWord reports whether an ordinary English word is one edit away
// from w.
func (r *Resolver) nearWord(w string) bool {
	rs := []rune(w)
	try := func(c []rune) bool { return r.words[string(c)] }
	for i := range rs {
		if try(append(slices.Clone(rs[:i]), rs[i+1:]...)) { // deletion
			return true
		}
		if i+1 < len(rs) {
			c := slices.Clone(rs)
			c[i], c[i+1] = c[i+1], c[i]
			if try(c) { // swap
				return true
			}
		}
	}
	for i := 0; i <= len(rs); i++ {
		for l := 'a'; l <= 'z'; l++ {
			c := append(append(slices.Clone(rs[:i]), l), rs[i:]...) // insertion
			if try(c) {
				return true
			}
			if i < len(rs) {
				c := slices.Clone(rs)
				c[i] = l // substitution
				if try(c) {
					return true
				}
			}
		}
	}
	return false
}

// pick chooses among the entities a name stands for: the only one, or the
// only one in context.
func (r *Resolver) pick(ids []string, allowed *ctxSet) (string, bool) {
	if len(ids) == 1 {
		return ids[0], true
	}
	return r.inContext(ids, allowed)
}

// ctxSet is the set of entities in context, made on first use: most
// texts never need it.
type ctxSet struct {
	r   *Resolver
	ctx Context
	set map[string]bool
}

func (c *ctxSet) has(id string) bool {
	if c.set == nil {
		c.set = c.r.contextSet(c.ctx)
	}
	return c.set[id]
}

// contextSet returns the entities whose contextual names count: those of
// the context, their families, and their siblings.
func (r *Resolver) contextSet(ctx Context) map[string]bool {
	set := map[string]bool{}
	for _, id := range ctx.Entities {
		for a := id; a != "" && !set[a]; a = r.parent[a] {
			set[a] = true
		}
	}
	if len(set) == 0 {
		return set
	}
	// Every member of those families, to any depth: inside a Glue section
	// "Job Bookmarks" names the bookmarks of Glue's ETL jobs.
	queue := make([]string, 0, len(set))
	for id := range set {
		queue = append(queue, id)
	}
	for len(queue) > 0 {
		id := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		for _, c := range r.children[id] {
			if !set[c] {
				set[c] = true
				queue = append(queue, c)
			}
		}
	}
	return set
}

// DefinedAbbrevs finds the abbreviations a text defines for entities:
// "Kinesis Data Firehose (KDF)" and "DMS - Database Migration Service".
// The keys are normalised.
func (r *Resolver) DefinedAbbrevs(text string, ctx Context) map[string]string {
	out := map[string]string{}
	if !mayDefineAbbrev(text) {
		return out
	}
	for _, m := range r.Find(text, ctx) {
		rest := strings.TrimLeft(text[m.End:], " \t")
		// An abbreviation starts with the initial of the name it stands
		// for: "Kinesis Data Firehose (KDF)", but not "TLS (HTTPS)".
		initial := unicode.ToUpper(firstRune(text[m.Start:]))
		if strings.HasPrefix(rest, "(") {
			if i := strings.IndexByte(rest, ')'); i > 1 && isAbbrev(rest[1:i]) && initialOK(rest[1:i], text[m.Start:m.End], initial) {
				out[Normalize(rest[1:i])] = m.Entity
			}
		}
		before := strings.TrimRight(text[:m.Start], " \t")
		for _, sep := range []string{"-", "–", ":", "="} {
			if strings.HasSuffix(before, sep) {
				b := strings.TrimRight(strings.TrimSuffix(before, sep), " \t")
				k := strings.LastIndexFunc(b, func(r rune) bool { return !isWordRune(r) })
				if w := b[k+1:]; isAbbrev(w) && initialOK(w, text[m.Start:m.End], initial) {
					out[Normalize(w)] = m.Entity
				}
			}
		}
	}
	return out
}

// initialOK reports whether abbrev starts like the name it follows or
// precedes, leading "Amazon"/"AWS" aside: "AWS Schema Conversion Tool
// (SCT)" and "(AWS DMS)" both hold.
func initialOK(abbrev, name string, initial rune) bool {
	a := unicode.ToUpper(firstRune(abbrev))
	if a == initial {
		return true
	}
	for _, w := range strings.Fields(name) {
		if prefixWords[strings.ToLower(w)] {
			continue
		}
		return unicode.ToUpper(firstRune(w)) == a
	}
	return false
}

// mayDefineAbbrev is a quick test that text holds "(ABC)" or "ABC -",
// so that the full search runs on few lines.
func mayDefineAbbrev(text string) bool {
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c == '(' && i+2 < len(text) && text[i+1] >= 'A' && text[i+1] <= 'Z' {
			return true
		}
		if c >= 'A' && c <= 'Z' && i+1 < len(text) && text[i+1] >= 'A' && text[i+1] <= 'Z' {
			j := i
			for j < len(text) && isWordRune(rune(text[j])) {
				j++
			}
			rest := strings.TrimLeft(text[j:], " \t")
			if rest != "" && strings.ContainsRune("-–:=", firstRune(rest)) {
				return true
			}
			i = j
		}
	}
	return false
}

// isAbbrev reports whether s looks like an abbreviation: two to six
// letters or digits, starting with a capital, mostly capitals.
func isAbbrev(s string) bool {
	if len(s) < 2 || len(s) > 6 || !unicode.IsUpper(firstRune(s)) {
		return false
	}
	upper := 0
	for _, r := range s {
		if !isWordRune(r) {
			return false
		}
		if unicode.IsUpper(r) || unicode.IsDigit(r) {
			upper++
		}
	}
	return upper*2 > len(s)
}

// Known reports whether w (any case) is an ordinary English word or a
// word of an entity name: a word a reader would recognise, as opposed to
// a typo.
func (r *Resolver) Known(w string) bool {
	if len(w) <= 3 {
		return true
	}
	sc := r.getScratch()
	v := r.lookup(w, sc.words)
	r.putScratch(sc)
	return v.dict || v.english
}
