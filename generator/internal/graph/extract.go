package graph

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gen-site/gen/generator/internal/clean"
	"github.com/gen-site/gen/generator/internal/parse"
	"github.com/gen-site/gen/generator/internal/resolve"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

// Topic is a kind of statement (limits, security, use cases...), with
// the heading and label words that signal it.
type Topic struct {
	ID    string
	Name  string
	Words []string
}

// Knowledge is what extraction knows besides the note: the catalog's
// entities, a resolver over their names, and the topics.
type Knowledge struct {
	Entities []Entity
	Resolver *resolve.Resolver
	Topics   []Topic

	byID      map[string]*Entity
	topicWord map[string]string // normalised word → topic id
	category  map[string]string // normalised category name → id
}

// NewKnowledge indexes entities and topics for extraction.
func NewKnowledge(entities []Entity, r *resolve.Resolver, topics []Topic) *Knowledge {
	k := &Knowledge{Entities: entities, Resolver: r, Topics: topics, byID: map[string]*Entity{}, topicWord: map[string]string{}, category: map[string]string{}}
	for i := range entities {
		k.byID[entities[i].ID] = &entities[i]
		if entities[i].Kind == "category" {
			k.category[normPhrase(entities[i].Name)] = entities[i].ID
		}
	}
	for _, t := range topics {
		for _, w := range t.Words {
			for _, tok := range strings.Fields(strings.ToLower(w)) {
				if _, dup := k.topicWord[resolve.Normalize(tok)]; !dup {
					k.topicWord[resolve.Normalize(tok)] = t.ID
				}
			}
		}
	}
	return k
}

// Entity returns the entity with id, or nil.
func (k *Knowledge) Entity(id string) *Entity { return k.byID[id] }

// Input is one note to extract.
type Input struct {
	ID    string
	Path  string
	Title string
	Raw   []byte // the raw file, for headings as written
	Clean *clean.Result
	Doc   *parse.Doc
}

// NoteExtract is what one note says, before merging with other notes.
type NoteExtract struct {
	Note        Note
	Sections    []Section
	Mentions    []Mention
	Facts       []NoteFact
	Comparisons []Comparison
	Edges       []Edge
	// Groups are the explicit comparisons of the note: "X vs Y" sections
	// and bullets, whose facts (NoteFact.Group) are the cells.
	Groups []CompareGroup
}

// CompareGroup is one explicit comparison in a note.
type CompareGroup struct {
	ID       string
	Title    string
	Source   Source
	Entities []string
}

// NoteFact is a fact as one note states it.
type NoteFact struct {
	Entity     string
	Topic      string
	Text       string // the statement, cleaned of markup
	Label      string // the label bullet(s) above it, such as "Producer"
	Source     Source
	Section    int // index in NoteExtract.Sections, or -1
	Quantities []Quantity
	// Group is the comparison this fact is a cell of ("" if none): the
	// facts of an "X vs Y" section are grouped by the entity they describe.
	Group string

	// What merging compares, worked out here once per note rather than
	// on every merge: a preview server merges after every edit.
	words, numbers []string
	wording        float64 // wordingScore of Text
}

// extractor holds the state of one note's extraction.
type extractor struct {
	k       *Knowledge
	in      Input
	out     *NoteExtract
	src     []byte
	abbrevs map[string]string
	stack   []int // open sections, outermost first
	rawLine [][]byte
	group   string // the "X vs Y" bullet being read, if any
	// listAbout is the entity a name-only paragraph just named, for the
	// list that follows it.
	listAbout string
}

// Extract reads one note. Its result depends on the note and the
// knowledge alone, so it can be cached by the note's content hash.
func Extract(in Input, k *Knowledge) *NoteExtract {
	x := &extractor{k: k, in: in, src: in.Doc.Source, out: &NoteExtract{}}
	x.rawLine = bytes.Split(in.Raw, []byte("\n"))
	x.out.Note = Note{ID: in.ID, Path: in.Path, Title: in.Title, Format: in.Clean.Format, Lines: lineCount(in.Raw)}
	x.abbrevs = x.findAbbrevs()
	for n := in.Doc.Root.FirstChild(); n != nil; n = n.NextSibling() {
		x.block(n)
	}
	x.edges()
	return x.out
}

func lineCount(b []byte) int {
	if len(b) == 0 {
		return 0
	}
	n := bytes.Count(b, []byte("\n"))
	if b[len(b)-1] != '\n' {
		n++
	}
	return n
}

// findAbbrevs collects the abbreviations the note defines anywhere
// ("Kinesis Data Firehose (KDF)"), so that a later "KDF" resolves.
func (x *extractor) findAbbrevs() map[string]string {
	out := map[string]string{}
	for _, line := range bytes.Split(x.src, []byte("\n")) {
		if bytes.IndexByte(line, '(') < 0 && bytes.IndexByte(line, '-') < 0 && bytes.IndexByte(line, ':') < 0 {
			continue
		}
		for k, v := range x.k.Resolver.DefinedAbbrevs(string(line), resolve.Context{}) {
			out[k] = v
		}
	}
	return out
}

func (x *extractor) line(off int) int {
	if off < 0 {
		return 0
	}
	return x.in.Clean.RawLine(off)
}

// current returns the innermost open section, or -1.
func (x *extractor) current() int {
	if len(x.stack) == 0 {
		return -1
	}
	return x.stack[len(x.stack)-1]
}

// contextOf returns the context entity of section i ("" outside sections).
func (x *extractor) contextOf(i int) string {
	if i < 0 {
		return ""
	}
	return x.out.Sections[i].Context
}

// resolveCtx is the resolver context inside section i, with extra
// entities (a label's entity) first.
func (x *extractor) resolveCtx(i int, extra ...string) resolve.Context {
	ctx := resolve.Context{Abbrevs: x.abbrevs}
	ctx.Entities = append(ctx.Entities, extra...)
	for j := i; j >= 0; j = x.out.Sections[j].Parent {
		s := &x.out.Sections[j]
		if s.Context != "" {
			ctx.Entities = append(ctx.Entities, s.Context)
		}
		ctx.Entities = append(ctx.Entities, s.Entities...)
		// A section about its own entity is its own context: an SQS
		// section that a note nested under Kinesis is not about Kinesis.
		if s.Entity != nil && x.kindOf(*s.Entity) != "concept" {
			break
		}
	}
	return ctx
}

func (x *extractor) block(n ast.Node) {
	defer func(about string) {
		if x.listAbout == about {
			x.listAbout = ""
		}
	}(x.listAbout)
	switch n := n.(type) {
	case *ast.Heading:
		x.heading(n)
	case *ast.List:
		var about []string
		if x.listAbout != "" {
			about = []string{x.listAbout}
		}
		x.list(n, x.current(), "", about)
	case *ast.Paragraph, *ast.TextBlock:
		e := x.paragraph(n, x.current(), "", nil)
		if _, list := n.NextSibling().(*ast.List); list && e != "" {
			// "Kinesis Data Streams:" on its own line, then bullets: the
			// bullets are about it, as under a bullet of that name.
			x.listAbout = e
			return
		}
	case *east.Table:
		x.table(n, x.current())
	case *ast.Blockquote:
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			x.block(c)
		}
	}
}

// rawHeading returns a heading's text as the raw note wrote it: its raw
// line without the markers around it.
func (x *extractor) rawHeading(line int, fallback string) string {
	t := x.sourceText(line, "")
	t = strings.TrimLeft(t, "#")
	t = strings.TrimLeft(t, "=_* \t")
	t = strings.TrimRight(t, "#=_* \t")
	if t == "" || !strings.Contains(strings.ToLower(t), strings.ToLower(firstWord(fallback))) {
		return fallback
	}
	return t
}

func firstWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return strings.TrimFunc(f[0], func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func (x *extractor) heading(h *ast.Heading) {
	off := parse.NodeOffset(h, x.src)
	line := x.line(off)
	text := parse.PlainText(h, x.src)
	for len(x.stack) > 0 && x.out.Sections[x.current()].Level >= h.Level {
		x.stack = x.stack[:len(x.stack)-1]
	}
	parent := x.current()
	sec := Section{Note: x.in.ID, Line: line, Level: h.Level, Heading: x.rawHeading(line, text), Parent: parent, Entities: []string{}}
	if v, ok := h.AttributeString("data-annotation"); ok {
		if b, ok := v.([]byte); ok {
			sec.Annotation = string(b)
		}
	}
	// Names are found in the heading's source text, markup and all, so
	// that each mention quotes its raw line exactly.
	src, matches, srcOff := x.find(h, parent)
	if srcOff < 0 {
		src, matches = text, x.k.Resolver.Find(text, x.resolveCtx(parent))
	}
	for _, m := range matches {
		sec.Entities = appendUnique(sec.Entities, m.Entity)
	}
	text = src
	// A category name is a heading only at the top of an outline: under
	// "# Redshift", "## Security" is a topic of Redshift, not the
	// Security category.
	if len(sec.Entities) == 0 && x.contextOf(parent) == "" {
		if id := x.categoryHeading(text); id != "" {
			sec.Entities = []string{id}
		}
	}
	sec.Entities = x.dropAncestors(sec.Entities)
	sec.Entities = dropParenthesised(text, matches, sec.Entities)
	sec.Entities = x.dropConcepts(sec.Entities)
	if len(sec.Entities) == 1 {
		id := sec.Entities[0]
		sec.Entity = &id
	}
	sec.Topic = x.topicOf(text, matches)
	if isComparison(text) && len(sec.Entities) >= 2 {
		sec.Topic = "comparison"
	}
	switch {
	case sec.Entity != nil && (x.kindOf(*sec.Entity) != "concept" || x.contextOf(parent) == ""):
		sec.Context = *sec.Entity
	case len(sec.Entities) >= 2 && parent >= 0 && x.commonFamily(sec.Entities) != "":
		sec.Context = x.commonFamily(sec.Entities)
	default:
		sec.Context = x.contextOf(parent)
	}
	x.out.Sections = append(x.out.Sections, sec)
	x.stack = append(x.stack, len(x.out.Sections)-1)
	x.group = ""
	if sec.Topic == "comparison" {
		x.out.Groups = append(x.out.Groups, CompareGroup{ID: groupID(sec), Title: sec.Heading,
			Source: Source{Note: x.in.ID, Line: sec.Line, Text: sec.Heading}, Entities: slices.Clone(sec.Entities)})
	}
}

// currentGroup returns the comparison the text being read belongs to: a
// "vs" bullet above it, or a "vs" section.
func (x *extractor) currentGroup(sec int) *CompareGroup {
	id := x.group
	if id == "" && sec >= 0 && x.out.Sections[sec].Topic == "comparison" {
		id = groupID(x.out.Sections[sec])
	}
	if id == "" {
		return nil
	}
	for i := range x.out.Groups {
		if x.out.Groups[i].ID == id {
			return &x.out.Groups[i]
		}
	}
	return nil
}

// dropConcepts removes concepts from a heading that also names a service
// or system: "Kinesis Stream Shards" is about Kinesis Data Streams, with
// shards as its topic.
func (x *extractor) dropConcepts(ids []string) []string {
	if len(ids) < 2 {
		return ids
	}
	var out []string
	for _, id := range ids {
		if e := x.k.byID[id]; e == nil || e.Kind != "concept" {
			out = append(out, id)
		}
	}
	if len(out) == 0 {
		return ids
	}
	return out
}

// dropParenthesised keeps the main name of a heading such as "MSK
// (Kafka)" or "DMS (Database Migration Service)": names in parentheses
// after another name explain it.
func dropParenthesised(text string, ms []resolve.Match, ids []string) []string {
	if len(ids) < 2 || len(ms) == 0 {
		return ids
	}
	open := strings.IndexByte(text, '(')
	if open < 0 || ms[0].Start > open {
		return ids
	}
	keep := map[string]bool{}
	for _, m := range ms {
		if m.Start < open {
			keep[m.Entity] = true
		}
	}
	var out []string
	for _, id := range ids {
		if keep[id] {
			out = append(out, id)
		}
	}
	if len(out) == 0 {
		return ids
	}
	return out
}

// categoryHeading returns the category a heading names as a whole
// ("Storage", "STORAGE", "Compute & Load-Balancing"), or "".
func (x *extractor) categoryHeading(text string) string {
	p := normPhrase(text)
	for _, prefix := range []string{"aws ", "amazon "} {
		p = strings.TrimPrefix(p, prefix)
	}
	if id, ok := x.k.category[p]; ok {
		return id
	}
	for _, part := range strings.FieldsFunc(text, func(r rune) bool { return r == '&' || r == '/' || r == ',' }) {
		if id, ok := x.k.category[normPhrase(part)]; ok {
			return id
		}
	}
	return ""
}

// normPhrase is a phrase in lowercase singular words, for whole-phrase
// comparison.
func normPhrase(s string) string {
	var ws []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		ws = append(ws, resolve.Normalize(w))
	}
	return strings.Join(ws, " ")
}

// dropAncestors removes from ids the families of other ids: "Kinesis
// Consumers Classic" is about classic consumers, which belong to Kinesis.
func (x *extractor) dropAncestors(ids []string) []string {
	if len(ids) < 2 {
		return ids
	}
	anc := map[string]bool{}
	for _, id := range ids {
		for e := x.k.byID[id]; e != nil && e.Parent != ""; e = x.k.byID[e.Parent] {
			if anc[e.Parent] {
				break
			}
			anc[e.Parent] = true
		}
	}
	var out []string
	for _, id := range ids {
		if !anc[id] {
			out = append(out, id)
		}
	}
	if len(out) == 0 {
		return ids
	}
	return out
}

// kindOf returns the kind of an entity, or "".
func (x *extractor) kindOf(id string) string {
	if e := x.k.byID[id]; e != nil {
		return e.Kind
	}
	return ""
}

// commonFamily returns the family that all ids belong to, or "".
func (x *extractor) commonFamily(ids []string) string {
	common := ""
	for i, id := range ids {
		e := x.k.byID[id]
		if e == nil {
			return ""
		}
		p := e.Parent
		if p == "" {
			p = id
		}
		if i == 0 {
			common = p
		} else if common != p {
			return ""
		}
	}
	return common
}

// isComparison reports whether a heading compares things: "X vs Y".
func isComparison(text string) bool {
	for _, w := range strings.Fields(strings.ToLower(text)) {
		switch strings.Trim(w, ".:,()") {
		case "vs", "versus", "compared":
			return true
		}
	}
	return false
}

// topicOf finds the topic a heading or label names by its words, ignoring
// the words that are part of entity names.
func (x *extractor) topicOf(text string, matches []resolve.Match) string {
	if isASCII(text) {
		return topicOfASCII(text, matches, x.k.topicWord)
	}
	return topicOfText(text, matches, x.k.topicWord)
}

// topicOfASCII is topicOf of an ASCII text, read in place: every fact's
// words are read for its topic.
func topicOfASCII(text string, matches []resolve.Match, topicWord map[string]string) string {
	word := func(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-' }
	find := func(seg string) string {
		for i := 0; i < len(seg); {
			if !word(seg[i]) {
				i++
				continue
			}
			j := i
			for j < len(seg) && word(seg[j]) {
				j++
			}
			if t, ok := topicWord[resolve.Normalize(seg[i:j])]; ok {
				return t
			}
			i = j
		}
		return ""
	}
	last := 0
	for _, m := range matches {
		if t := find(text[last:m.Start]); t != "" {
			return t
		}
		last = m.End
	}
	return find(text[last:])
}

// topicOfText is topicOf of any text.
func topicOfText(text string, matches []resolve.Match, topicWord map[string]string) string {
	var b strings.Builder
	last := 0
	for _, m := range matches {
		b.WriteString(text[last:m.Start])
		b.WriteByte(' ')
		last = m.End
	}
	b.WriteString(text[last:])
	for _, w := range strings.FieldsFunc(strings.ToLower(b.String()), func(r rune) bool { return !unicode.IsLetter(r) && r != '-' }) {
		if t, ok := topicWord[resolve.Normalize(w)]; ok {
			return t
		}
	}
	return ""
}

func (x *extractor) addMentions(ms []resolve.Match, text string, base int, sec int, sentence string) {
	for _, m := range ms {
		line := x.line(base + m.Start)
		if base < 0 {
			line = 0
		}
		x.out.Mentions = append(x.out.Mentions, Mention{
			Note: x.in.ID, Line: line, Text: m.Text, Entity: m.Entity, How: string(m.How), Score: m.Score,
			Context: x.contextOf(sec), Sentence: sentence,
		})
	}
}

// blockLines returns the text of a block's lines with the offset of each.
func (x *extractor) blockLines(n ast.Node) (lines []string, offs []int) {
	l := n.Lines()
	for i := 0; i < l.Len(); i++ {
		seg := l.At(i)
		lines = append(lines, string(seg.Value(x.src)))
		offs = append(offs, seg.Start)
	}
	return lines, offs
}

// find resolves the names in a block, line by line, and records them as
// mentions. It returns the matches of the whole block with offsets into
// the joined text.
func (x *extractor) find(n ast.Node, sec int, extra ...string) (text string, ms []resolve.Match, off int) {
	lines, offs := x.blockLines(n)
	if len(lines) == 0 {
		return "", nil, -1
	}
	ctx := x.resolveCtx(sec, extra...)
	sentence := strings.Join(lines, " ")
	pos := 0
	for i, l := range lines {
		lm := x.k.Resolver.Find(l, ctx)
		x.addMentions(lm, l, offs[i], sec, sentence)
		for _, m := range lm {
			m.Start += pos
			m.End += pos
			ms = append(ms, m)
		}
		pos += len(l) + 1
	}
	return sentence, ms, offs[0]
}

// list walks a list: label items lend their words (and their entity) to
// the items below them; other items are facts.
func (x *extractor) list(l *ast.List, sec int, label string, labelEntity []string) {
	for it := l.FirstChild(); it != nil; it = it.NextSibling() {
		x.item(it, sec, label, labelEntity)
	}
}

func (x *extractor) item(it ast.Node, sec int, label string, labelEntity []string) {
	var own ast.Node
	var children []ast.Node
	for c := it.FirstChild(); c != nil; c = c.NextSibling() {
		switch c.(type) {
		case *ast.Paragraph, *ast.TextBlock:
			if own == nil {
				own = c
				continue
			}
		}
		children = append(children, c)
	}
	if own == nil {
		for _, c := range children {
			x.child(c, sec, label, labelEntity)
		}
		return
	}
	ctxEntity := labelEntity
	text, ms, off := x.find(own, sec, ctxEntity...)
	plain := cleanText(text)
	coverage := nameCoverage(text, ms)
	hasSub := false
	for _, c := range children {
		if _, ok := c.(*ast.List); ok {
			hasSub = true
		}
	}
	distinct := map[string]bool{}
	for _, m := range ms {
		distinct[m.Entity] = true
	}
	if hasSub && isComparison(plain) && wordCount(plain) <= 10 {
		// "Vs Kinesis Data Streams" or "Standard consumers vs Enhanced
		// Fan Out": the bullets below compare, group by group.
		line := x.line(off)
		g := CompareGroup{ID: x.in.ID + "#" + strconv.Itoa(line), Title: plain, Source: Source{Note: x.in.ID, Line: line, Text: x.sourceText(line, plain)}}
		if strings.HasPrefix(strings.ToLower(plain), "vs") || strings.HasPrefix(strings.ToLower(plain), "versus") {
			if c := x.contextOf(sec); c != "" {
				g.Entities = append(g.Entities, c)
			}
		}
		for _, m := range ms {
			g.Entities = appendUnique(g.Entities, m.Entity)
		}
		x.out.Groups = append(x.out.Groups, g)
		saved := x.group
		x.group = g.ID
		for _, c := range children {
			x.child(c, sec, label, labelEntity)
		}
		x.group = saved
		return
	}
	switch {
	case hasSub && len(distinct) == 1 && coverage >= 0.5 && wordCount(plain) <= 8:
		// "Amazon Kinesis Streams" with bullets below: the bullets are
		// about that entity.
		x.recordGroup(sec, ms[0].Entity)
		for _, c := range children {
			x.child(c, sec, joinLabel(label, ""), []string{ms[0].Entity})
		}
	case coverage >= 0.8 && len(distinct) >= 1:
		// A bullet that is only a name ("SQS", "Kinesis Agent") is a
		// mention, not a fact.
		for _, c := range children {
			x.child(c, sec, label, labelEntity)
		}
	case hasSub && wordCount(plain) <= 6 && !hasDigit(plain):
		// A short bullet with bullets below is a label: "Producer",
		// "Data Retention", "Consumer Classic:".
		for _, c := range children {
			x.child(c, sec, joinLabel(label, strings.TrimRight(plain, " :")), labelEntity)
		}
	default:
		x.addFact(plain, off, sec, label, labelEntity)
		for _, c := range children {
			x.child(c, sec, joinLabel(label, shortLabel(plain)), labelEntity)
		}
	}
}

func (x *extractor) child(c ast.Node, sec int, label string, labelEntity []string) {
	switch c := c.(type) {
	case *ast.List:
		x.list(c, sec, label, labelEntity)
	case *ast.Paragraph, *ast.TextBlock:
		_ = x.paragraph(c, sec, label, labelEntity)
	case *ast.Heading:
		x.heading(c)
	case *east.Table:
		x.table(c, sec)
	}
}

func joinLabel(outer, inner string) string {
	switch {
	case inner == "":
		return outer
	case outer == "":
		return inner
	}
	return outer + " › " + inner
}

// shortLabel keeps a long parent bullet from becoming a long label.
func shortLabel(s string) string {
	if wordCount(s) <= 8 {
		return strings.TrimRight(s, " :")
	}
	return ""
}

// paragraph records a paragraph's facts. A short paragraph that only
// names one entity ("Kinesis Data Streams:") is no fact: it returns that
// entity, which the list right after it is about.
func (x *extractor) paragraph(p ast.Node, sec int, label string, labelEntity []string) string {
	text, ms, off := x.find(p, sec, labelEntity...)
	plain := cleanText(text)
	if plain == "" {
		return ""
	}
	if nameCoverage(text, ms) >= 0.8 {
		distinct := map[string]bool{}
		for _, m := range ms {
			distinct[m.Entity] = true
		}
		if len(distinct) == 1 && wordCount(plain) <= 8 {
			return ms[0].Entity
		}
		return ""
	}
	x.addFact(plain, off, sec, label, labelEntity)
	return ""
}

// addFact records a statement of the entity in context.
func (x *extractor) addFact(text string, off, sec int, label string, labelEntity []string) {
	entity := ""
	if len(labelEntity) > 0 {
		entity = labelEntity[0]
	} else {
		entity = x.contextOf(sec)
	}
	if entity == "" || wordCount(text) < 2 && !hasDigit(text) {
		return
	}
	line := x.line(off)
	f := NoteFact{
		Entity: entity, Text: text, Label: label, Section: sec,
		Source:     Source{Note: x.in.ID, Line: line, Text: x.sourceText(line, text)},
		Quantities: Quantities(joinLabel(label, text)),
	}
	f.words, f.numbers = factWords(text)
	f.wording = wordingScore(text, x.k)
	f.Topic = x.factTopic(f, sec)
	if g := x.currentGroup(sec); g != nil && len(labelEntity) > 0 {
		f.Group = g.ID
	}
	x.out.Facts = append(x.out.Facts, f)
}

// sourceText returns the fact's wording as it stands on its raw line:
// the raw line without list markers and indentation. The site shows it
// beside the merged wording, and its line is where the link goes.
func (x *extractor) sourceText(line int, fallback string) string {
	if line < 1 || line > len(x.rawLine) {
		return fallback
	}
	// The raw line is quoted as it is, except for bytes that are not
	// UTF-8, which no page may carry (the cleaner replaced them too).
	t := strings.TrimSpace(strings.ToValidUTF8(string(x.rawLine[line-1]), "\uFFFD"))
	if t = strings.TrimLeft(t, "*-+•> \t"); t == "" {
		return fallback
	}
	return t
}

// factTopic chooses a fact's topic: pricing and limits by what the fact
// says, else the topic of its label, its section or the sections above,
// else its own words, else "overview".
func (x *extractor) factTopic(f NoteFact, sec int) string {
	lower := strings.ToLower(f.Text)
	if strings.Contains(lower, "$") || strings.Contains(lower, "pay ") || strings.Contains(lower, "pricing") || strings.Contains(lower, "billing") || strings.Contains(lower, "cost") {
		if x.hasTopic("pricing") {
			return "pricing"
		}
	}
	for _, q := range f.Quantities {
		if q.Attribute != "" && x.hasTopic("limits") {
			return "limits"
		}
	}
	if f.Label != "" {
		if t := x.topicOf(f.Label, nil); t != "" {
			return t
		}
	}
	for j := sec; j >= 0; j = x.out.Sections[j].Parent {
		if t := x.out.Sections[j].Topic; t != "" && t != "comparison" {
			return t
		}
	}
	if t := x.topicOf(f.Text, nil); t != "" {
		return t
	}
	return "overview"
}

func (x *extractor) hasTopic(id string) bool {
	for _, t := range x.k.Topics {
		if t.ID == id {
			return true
		}
	}
	return false
}

func groupID(s Section) string {
	return s.Note + "#" + strconv.Itoa(s.Line)
}

// recordGroup notes that the comparison being read has a group of
// bullets about entity.
func (x *extractor) recordGroup(sec int, entity string) {
	if g := x.currentGroup(sec); g != nil {
		g.Entities = appendUnique(g.Entities, entity)
	}
}

// table reads a table: a header of entity names makes it a comparison; a
// header of "Source"/"Target" words gives source and destination edges.
func (x *extractor) table(t *east.Table, sec int) {
	var rows [][]cell
	for r := t.FirstChild(); r != nil; r = r.NextSibling() {
		var row []cell
		for c := r.FirstChild(); c != nil; c = c.NextSibling() {
			text := parse.PlainText(c, x.src)
			off := parse.NodeOffset(c, x.src)
			ms := x.k.Resolver.Find(text, x.resolveCtx(sec))
			x.addMentions(ms, text, off, sec, text)
			row = append(row, cell{text: text, off: off, matches: ms})
		}
		rows = append(rows, row)
	}
	if len(rows) < 2 {
		return
	}
	header := rows[0]
	// Which header cells name one entity?
	cols := map[int]string{}
	for i, c := range header {
		if len(c.matches) >= 1 && nameCoverage(c.text, c.matches) >= 0.5 {
			cols[i] = c.matches[0].Entity
		}
	}
	if len(cols) >= 2 {
		x.tableComparison(rows, cols, sec)
		return
	}
	x.tableFlows(rows, sec)
}

type cell struct {
	text    string
	off     int
	matches []resolve.Match
}

// tableComparison turns a table whose header names entities into a
// comparison. When the header has one cell fewer than the body, as in
// tables pasted without the corner cell, the body's first column holds
// the attributes.
func (x *extractor) tableComparison(rows [][]cell, cols map[int]string, sec int) {
	header := rows[0]
	width := 0
	for _, r := range rows[1:] {
		width = max(width, nonEmpty(r))
	}
	shift := 0
	if nonEmpty(header) == width-1 {
		if _, ok := cols[0]; ok {
			shift = 1 // header cell i describes body column i+1
		}
	}
	var entities []string
	order := []int{}
	for i := 0; i < len(header); i++ {
		if id, ok := cols[i]; ok {
			entities = appendUnique(entities, id)
			order = append(order, i)
		}
	}
	attrCol := -1
	if shift == 1 {
		attrCol = 0
	} else if _, ok := cols[0]; !ok {
		attrCol = 0
	}
	line := 0
	for _, c := range header {
		if c.off >= 0 {
			line = x.line(c.off)
			break
		}
	}
	cmp := Comparison{Kind: "table", Entities: entities, Sources: []Source{{Note: x.in.ID, Line: line}}}
	cmp.Title = strings.Join(x.names(entities), " vs ")
	for ri, r := range rows[1:] {
		attr := ""
		if attrCol >= 0 && attrCol < len(r) {
			attr = cleanText(r[attrCol].text)
		}
		row := ComparisonRow{Attribute: attr, Cells: map[string]string{}, Sources: map[string][]Source{}}
		for _, hi := range order {
			bi := hi + shift
			if bi >= len(r) {
				continue
			}
			v := cleanText(r[bi].text)
			if v == "" {
				continue
			}
			id := cols[hi]
			row.Cells[id] = v
			l := x.line(r[bi].off)
			row.Sources[id] = []Source{{Note: x.in.ID, Line: l, Text: v}}
			if attr == "" {
				row.Attribute = "row " + strconv.Itoa(ri+1)
			}
		}
		if attr == "" {
			// Tables of paired features ("Replication | Sharding") have no
			// attribute column: name the row by what its cells are about,
			// or by its first cell.
			a := ""
			for _, hi := range order {
				if v := row.Cells[cols[hi]]; v != "" {
					a = classify(v)
					if a == "" || usedAttr(cmp.Rows, a) {
						a = shorten(v, 40)
					}
					break
				}
			}
			if a != "" {
				row.Attribute = a
			}
		}
		if len(row.Cells) > 0 {
			cmp.Rows = append(cmp.Rows, row)
		}
	}
	if len(cmp.Rows) > 0 {
		x.out.Comparisons = append(x.out.Comparisons, cmp)
	}
}

func usedAttr(rows []ComparisonRow, a string) bool {
	for _, r := range rows {
		if r.Attribute == a {
			return true
		}
	}
	return false
}

// shorten cuts s at a word boundary to at most n bytes.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut < n/2 {
		cut = n
	}
	return strings.ToValidUTF8(s[:cut], "") + "…"
}

func nonEmpty(r []cell) int {
	n := 0
	for _, c := range r {
		if strings.TrimSpace(c.text) != "" {
			n++
		}
	}
	return n
}

// tableFlows reads a "Source | Target" table into source and
// destination edges of the section's entity.
func (x *extractor) tableFlows(rows [][]cell, sec int) {
	ctx := x.contextOf(sec)
	if ctx == "" {
		return
	}
	kinds := map[int]string{}
	for i, c := range rows[0] {
		switch x.topicOf(c.text, nil) {
		case "sources", "producers":
			kinds[i] = "source"
		case "destinations", "consumers":
			kinds[i] = "destination"
		}
	}
	for _, r := range rows[1:] {
		for i, c := range r {
			k, ok := kinds[i]
			if !ok {
				continue
			}
			for _, m := range c.matches {
				x.flow(ctx, m.Entity, k)
			}
		}
	}
}

func (x *extractor) flow(ctx, other, kind string) {
	if other == ctx {
		return
	}
	if kind == "source" {
		x.out.Edges = append(x.out.Edges, Edge{From: other, To: ctx, Kind: "source", Weight: 1})
	} else {
		x.out.Edges = append(x.out.Edges, Edge{From: ctx, To: other, Kind: "destination", Weight: 1})
	}
}

// edges derives the note's edges: mentions between a section's entity
// and the entities named in it, and sources and destinations listed under
// headings or labels that say so.
func (x *extractor) edges() {
	for _, m := range x.out.Mentions {
		if m.Context != "" && m.Context != m.Entity && !x.related(m.Context, m.Entity) {
			x.out.Edges = append(x.out.Edges, Edge{From: m.Context, To: m.Entity, Kind: "mentions", Weight: 1})
		}
	}
	for _, f := range x.out.Facts {
		kind := ""
		switch {
		case f.Topic == "sources" || f.Topic == "producers":
			kind = "source"
		case f.Topic == "destinations" || f.Topic == "consumers":
			kind = "destination"
		}
		if kind == "" {
			continue
		}
		for _, m := range x.k.Resolver.Find(f.Text, x.resolveCtx(f.Section)) {
			x.flow(f.Entity, m.Entity, kind)
		}
	}
}

// related reports whether a and b are the same family: a mention of a
// family member inside its family's section is not worth an edge.
func (x *extractor) related(a, b string) bool {
	ea, eb := x.k.byID[a], x.k.byID[b]
	if ea == nil || eb == nil {
		return false
	}
	return ea.Parent == b || eb.Parent == a
}

func (x *extractor) names(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		if e := x.k.byID[id]; e != nil {
			out[i] = e.Name
		} else {
			out[i] = id
		}
	}
	return out
}

func appendUnique(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// cleanText removes inline markup characters from a line of markdown
// source and collapses spaces.
// inlineMarks removes the emphasis and code marks that cleanText drops. It
// is made once: cleanText runs for every bullet of every note, and making
// a replacer costs more than using it. A Replacer is safe for concurrent use.
var inlineMarks = strings.NewReplacer("**", "", "__", "", "`", "", "\t", " ")

func cleanText(s string) string {
	if strings.ContainsAny(s, "*_`\t") {
		s = inlineMarks.Replace(s)
	}
	if !singleSpaced(s) {
		s = strings.Join(strings.Fields(s), " ")
	}
	s = strings.Trim(s, " *_")
	return s
}

// singleSpaced reports whether s is ASCII with its words apart by single
// spaces and no space at either end: what strings.Fields and a join with
// spaces leave as it is, which most bullets are.
func singleSpaced(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return s == ""
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= utf8.RuneSelf, c == '\t', c == '\n', c == '\v', c == '\f', c == '\r':
			return false
		case c == ' ' && s[i+1] == ' ':
			return false
		}
	}
	return true
}

func wordCount(s string) int {
	n := 0
	for _, f := range strings.Fields(s) {
		if strings.IndexFunc(f, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
			n++
		}
	}
	return n
}

func hasDigit(s string) bool {
	return strings.IndexFunc(s, unicode.IsDigit) >= 0
}

// nameCoverage is the share of the letters and digits of text that lie in
// entity names: near 1 for a bullet that only names a service.
func nameCoverage(text string, ms []resolve.Match) float64 {
	total := 0
	for _, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			total++
		}
	}
	if total == 0 {
		return 0
	}
	in := 0
	for _, m := range ms {
		for _, r := range text[m.Start:m.End] {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				in++
			}
		}
	}
	return float64(in) / float64(total)
}

// FactKeys is what merging compares of a NoteFact, worked out by Extract
// once per note. A cache of extracts keeps them beside the facts (Keys,
// Restore): working them out again costs a tenth of an extraction.
type FactKeys struct {
	Words, Numbers []string
	Wording        float64
}

// Keys returns the FactKeys of each of the extract's facts, in order.
func (ex *NoteExtract) Keys() []FactKeys {
	out := make([]FactKeys, len(ex.Facts))
	for i, f := range ex.Facts {
		out[i] = FactKeys{f.words, f.numbers, f.wording}
	}
	return out
}

// Restore makes an extract read from a cache what Extract made: it gives
// the facts the keys Keys returned of the same extract, and its sections
// an empty list of entities where they have none, which the graph's JSON
// gives as [] (the note cache reads an empty list as
// nil; elsewhere an empty list and none are read alike). It fails,
// changing nothing, when there are not as many keys as facts.
func (ex *NoteExtract) Restore(keys []FactKeys) error {
	if len(keys) != len(ex.Facts) {
		return fmt.Errorf("%d fact keys for %d facts", len(keys), len(ex.Facts))
	}
	for i, k := range keys {
		f := &ex.Facts[i]
		f.words, f.numbers, f.wording = k.Words, k.Numbers, k.Wording
	}
	for i := range ex.Sections {
		if ex.Sections[i].Entities == nil {
			ex.Sections[i].Entities = []string{}
		}
	}
	return nil
}
