package mdext

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// pipeTableTransformer turns a pasted pipe table inside a paragraph into a
// table. It runs before goldmark's GFM table transformer and leaves it every
// paragraph that GFM reads as a table already, so a well-formed table
// renders exactly as GFM renders it.
//
// A pasted table is a run of two lines or more, each with a '|' outside
// code spans, where either every line starts or ends with '|' or the second
// line is a delimiter row ("---|---|"). Trailing empty cells ("a | b | |")
// are dropped; rows shorter than the widest get empty cells at the end; a
// header one cell short of the body gets an empty first cell (the column of
// row labels, which people leave unnamed); a header wider than the body
// pads the body.
type pipeTableTransformer struct{}

// NewPipeTableTransformer returns the paragraph transformer of rule
// pipe-table.
func NewPipeTableTransformer() parser.ParagraphTransformer {
	return pipeTableTransformer{}
}

func (t pipeTableTransformer) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	lines := node.Lines()
	n := lines.Len()
	for a := 0; a < n; {
		if !hasPipe(value(lines.At(a), src)) {
			a++
			continue
		}
		b := a + 1
		for b < n && hasPipe(value(lines.At(b), src)) {
			b++
		}
		if b-a >= 2 && !gfmTable(lines, a, src) {
			if table := buildTable(lines, a, b, src); table != nil {
				t.replace(node, table, a, b, reader, pc)
				return
			}
		}
		a = b
	}
}

// replace puts table in place of lines [a, b) of node: the lines before stay
// in node, the lines after go to a new paragraph after the table.
func (t pipeTableTransformer) replace(node *ast.Paragraph, table *east.Table, a, b int, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	parent := node.Parent()
	lines := node.Lines()
	n := lines.Len()
	table.SetPos(lines.At(a).Start)
	parent.InsertAfter(parent, node, table)
	if b < n {
		after := ast.NewParagraph()
		for i := b; i < n; i++ {
			after.Lines().Append(lines.At(i))
		}
		after.SetPos(lines.At(b).Start)
		parent.InsertAfter(parent, table, after)
		t.Transform(after, reader, pc)
		if after.Parent() != nil {
			trimParagraph(after, src)
		}
	}
	if a == 0 {
		parent.RemoveChild(parent, node)
		return
	}
	lines.SetSliced(0, a)
	last := lines.At(a - 1)
	lines.Set(a-1, last.TrimRightSpace(src))
}

// trimParagraph does for a paragraph made by a transformer what the
// paragraph parser's Close does for the ones it opened.
func trimParagraph(p *ast.Paragraph, src []byte) {
	lines := p.Lines()
	for i := 0; i < lines.Len(); i++ {
		lines.Set(i, trimLeft(lines.At(i), src))
	}
	if n := lines.Len(); n > 0 {
		lines.Set(n-1, trimRight(lines.At(n-1), src))
	}
}

// gfmTable reports whether goldmark's GFM transformer makes a table of the
// lines from a: a delimiter row right after a header of as many cells.
func gfmTable(lines *text.Segments, a int, src []byte) bool {
	if a+1 >= lines.Len() {
		return false
	}
	delim := delimiterCells(value(lines.At(a+1), src))
	if delim == nil {
		return false
	}
	return len(gfmCells(value(lines.At(a), src))) == len(delim)
}

// gfmCells splits a row as GFM does (one outer pipe off each side, every
// unescaped pipe a separator, code spans included), to count its cells.
func gfmCells(line []byte) [][]byte {
	line = bytes.TrimSpace(line)
	if len(line) > 0 && line[0] == '|' {
		line = line[1:]
	}
	if len(line) > 0 && line[len(line)-1] == '|' && (len(line) < 2 || line[len(line)-2] != '\\') {
		line = line[:len(line)-1]
	}
	var cells [][]byte
	start := 0
	for i := 0; i < len(line); i++ {
		if line[i] == '|' && (i == 0 || line[i-1] != '\\') {
			cells = append(cells, line[start:i])
			start = i + 1
		}
	}
	if start < len(line) {
		cells = append(cells, line[start:])
	}
	return cells
}

// delimiterCells returns the alignments of a delimiter row ("---|:--:|"), or
// nil when line is not one.
func delimiterCells(line []byte) []east.Alignment {
	t := bytes.TrimSpace(line)
	if len(t) == 0 || !bytes.ContainsRune(t, '-') {
		return nil
	}
	for _, c := range t {
		if c != '|' && c != '-' && c != ':' && c != ' ' && c != '\t' {
			return nil
		}
	}
	if !bytes.ContainsRune(t, '|') {
		return nil // a lone "---" is a thematic break or a setext underline
	}
	var as []east.Alignment
	for _, col := range gfmCells(t) {
		col = bytes.TrimSpace(col)
		if len(col) == 0 {
			return nil
		}
		left, right := col[0] == ':', col[len(col)-1] == ':'
		dashes := bytes.Trim(col, ":")
		if len(dashes) == 0 || len(bytes.Trim(dashes, "-")) != 0 {
			return nil
		}
		switch {
		case left && right:
			as = append(as, east.AlignCenter)
		case left:
			as = append(as, east.AlignLeft)
		case right:
			as = append(as, east.AlignRight)
		default:
			as = append(as, east.AlignNone)
		}
	}
	return as
}

// cellSpans returns the spans of the cells of line (offsets into line),
// split at every '|' that is neither escaped nor inside a code span, with
// the outer pipes and trailing empty cells dropped. It returns nil when line
// has no such '|'.
func cellSpans(line []byte) [][2]int {
	var seps []int
	for i := 0; i < len(line); {
		switch c := line[i]; {
		case c == '\\':
			i += 2
			continue
		case c == '`':
			k := i
			for k < len(line) && line[k] == '`' {
				k++
			}
			if end := closingTicks(line, k, k-i); end > 0 {
				i = end
				continue
			}
			i = k
			continue
		case c == '|':
			seps = append(seps, i)
		}
		i++
	}
	if len(seps) == 0 {
		return nil
	}
	bounds := append(append([]int{-1}, seps...), len(line))
	var spans [][2]int
	for i := 0; i+1 < len(bounds); i++ {
		spans = append(spans, [2]int{bounds[i] + 1, bounds[i+1]})
	}
	blank := func(s [2]int) bool { return len(bytes.TrimSpace(line[s[0]:s[1]])) == 0 }
	if len(spans) > 0 && blank(spans[0]) && bytes.HasPrefix(bytes.TrimLeft(line, " \t"), []byte("|")) {
		spans = spans[1:] // the outer pipe at the start
	}
	for len(spans) > 0 && blank(spans[len(spans)-1]) {
		spans = spans[:len(spans)-1]
	}
	if len(spans) == 0 {
		return nil
	}
	return spans
}

// closingTicks returns the offset after the run of exactly n backticks
// that closes a code span opened before from, or 0 when there is none.
func closingTicks(line []byte, from, n int) int {
	for i := from; i < len(line); {
		if line[i] != '`' {
			i++
			continue
		}
		k := i
		for k < len(line) && line[k] == '`' {
			k++
		}
		if k-i == n {
			return k
		}
		i = k
	}
	return 0
}

// hasPipe reports whether line has a '|' that separates cells.
func hasPipe(line []byte) bool {
	return bytes.IndexByte(line, '|') >= 0 && cellSpans(line) != nil
}

// outerPipe reports whether line starts or ends with a '|'.
func outerPipe(line []byte) bool {
	t := bytes.TrimSpace(line)
	return len(t) > 0 && (t[0] == '|' || t[len(t)-1] == '|')
}

// buildTable makes the table of lines [a, b), or returns nil when they are
// not a pasted table.
func buildTable(lines *text.Segments, a, b int, src []byte) *east.Table {
	var aligns []east.Alignment
	bodyFrom := a + 1
	if a+1 < b {
		if aligns = delimiterCells(value(lines.At(a+1), src)); aligns != nil {
			bodyFrom = a + 2
		}
	}
	if aligns == nil {
		for i := a; i < b; i++ {
			if !outerPipe(value(lines.At(i), src)) {
				return nil
			}
		}
	}
	cells := func(i int) []text.Segment {
		seg := lines.At(i)
		var out []text.Segment
		for _, s := range cellSpans(seg.Value(src)) {
			c := text.NewSegment(seg.Start+s[0], seg.Start+s[1])
			out = append(out, trim(c, src))
		}
		return out
	}
	header := cells(a)
	var body [][]text.Segment
	width := 0
	for i := bodyFrom; i < b; i++ {
		row := cells(i)
		body = append(body, row)
		width = max(width, len(row))
	}
	if len(body) > 0 && len(header) == width-1 {
		header = append([]text.Segment{{}}, header...)
	}
	width = max(width, len(header))
	if width < 2 {
		return nil
	}
	for len(aligns) < width {
		aligns = append(aligns, east.AlignNone)
	}
	aligns = aligns[:width]
	table := east.NewTable()
	table.Alignments = aligns
	table.SetAttributeString(AttrRule, RulePipeTable)
	table.AppendChild(table, east.NewTableHeader(tableRow(header, aligns, lines.At(a).Start)))
	for k, row := range body {
		table.AppendChild(table, tableRow(row, aligns, lines.At(bodyFrom+k).Start))
	}
	return table
}

// tableRow makes a row of len(aligns) cells; a zero segment is an empty cell.
func tableRow(cells []text.Segment, aligns []east.Alignment, pos int) *east.TableRow {
	row := east.NewTableRow(aligns)
	row.SetPos(pos)
	for i, al := range aligns {
		cell := east.NewTableCell()
		cell.Alignment = al
		if i < len(cells) && cells[i].Len() > 0 {
			cell.Lines().Append(cells[i])
			cell.SetPos(cells[i].Start)
		}
		row.AppendChild(row, cell)
	}
	return row
}

// pipeBlockParser starts a new paragraph where a pasted table begins right
// after a bullet, in plaintext outlines. Without it the table's lines are a
// lazy continuation of the bullet (CommonMark lets any line continue an open
// paragraph), and the table ends up inside the list item. It opens only
// when it interrupts a paragraph that is not itself a table, and when the
// next line is a table row too.
type pipeBlockParser struct{}

// NewPipeBlockParser returns the block parser that lets a pasted table
// interrupt a bullet.
func NewPipeBlockParser() parser.BlockParser {
	return pipeBlockParser{}
}

func (pipeBlockParser) Trigger() []byte { return nil }

func (pipeBlockParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	last := pc.LastOpenedBlock().Node
	if parent.Kind() != ast.KindDocument || last == nil || !ast.IsParagraph(last) {
		return nil, parser.NoChildren
	}
	src := reader.Source()
	if l := last.Lines(); l.Len() > 0 && hasPipe(value(l.At(l.Len()-1), src)) {
		return nil, parser.NoChildren
	}
	line, seg := reader.PeekLine()
	if !hasPipe(line) || !outerPipe(line) {
		return nil, parser.NoChildren
	}
	if next := nextLine(reader); !hasPipe(next) {
		return nil, parser.NoChildren
	}
	node := ast.NewParagraph()
	node.Lines().Append(seg)
	reader.AdvanceToEOL()
	return node, parser.NoChildren
}

func (pipeBlockParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	return parser.NewParagraphParser().Continue(node, reader, pc)
}

func (pipeBlockParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {
	parser.NewParagraphParser().Close(node, reader, pc)
}

func (pipeBlockParser) CanInterruptParagraph() bool { return true }

func (pipeBlockParser) CanAcceptIndentedLine() bool { return false }
