// Package parse turns cleaned note text into a goldmark AST. One Parser is
// configured once, with GFM, code highlighting and the lenient rules of
// package mdext, and reused for every note; goldmark parsers are safe for
// concurrent use.
package parse

import (
	"bytes"
	"io"
	"strings"

	"github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/yuin/goldmark"
	highlighting "github.com/yuin/goldmark-highlighting/v2"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"github.com/gen-site/gen/generator/internal/parse/mdext"
)

// Parser parses and renders notes.
type Parser struct {
	md        goldmark.Markdown // markdown and hexo notes
	plaintext goldmark.Markdown // outline notes: the rules of mdext.Options.Plaintext too
}

// New returns a Parser with GFM (tables, strikethrough, autolinks, task
// lists), automatic heading ids, chroma highlighting of fenced code with
// CSS classes (the palettes live in one stylesheet, see [CSS]) and the
// lenient rules of package mdext.
func New() *Parser {
	return &Parser{
		md:        newMarkdown(mdext.New(mdext.Options{})),
		plaintext: newMarkdown(mdext.New(mdext.Options{Plaintext: true})),
	}
}

// newMarkdown is gen's goldmark set-up with the extra extenders; with none
// it is plain goldmark as gen configures it, which tests compare against.
func newMarkdown(extra ...goldmark.Extender) goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(append([]goldmark.Extender{
			extension.GFM,
			highlighting.NewHighlighting(
				highlighting.WithFormatOptions(html.WithClasses(true)),
				highlighting.WithGuessLanguage(false),
			),
		}, extra...)...),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)
}

// Options says what Parse knows of a note besides its text.
type Options struct {
	// Format is the form the cleaner recognised (clean.Result.Format):
	// "plaintext" turns on the outline rules; any other value, or none,
	// parses markdown.
	Format string
}

// formatPlaintext is clean.FormatPlaintext; parse does not import clean,
// which comes before it in the pipeline and needs nothing from it.
const formatPlaintext = "plaintext"

// Doc is a parsed note.
type Doc struct {
	Root   ast.Node
	Source []byte
}

// Parse parses src, which must stay unchanged while the Doc is used.
func (p *Parser) Parse(src []byte, opts Options) *Doc {
	md := p.md
	if opts.Format == formatPlaintext {
		md = p.plaintext
	}
	ctx := parser.NewContext()
	root := md.Parser().Parse(text.NewReader(src), parser.WithContext(ctx))
	return &Doc{Root: root, Source: src}
}

// Render writes the HTML of doc to w. Raw HTML in notes is never passed
// through: goldmark's default renderer replaces it with a comment.
func (p *Parser) Render(w io.Writer, doc *Doc) error {
	return p.md.Renderer().Render(w, doc.Source, doc.Root)
}

// Heading is one heading of a note.
type Heading struct {
	Level      int
	Text       string // plain text, without its annotation
	Raw        string // the heading's text as written: markup and annotation included, markers ("#", "===") not
	Annotation string // a remark cut from the text, such as "Not in Mind Map"; see mdext
	Rule       string // the mdext rule that recovered the heading; "" for valid CommonMark
	ID         string // the anchor id goldmark gave it
	Offset     int    // byte offset in the parsed source of the heading's first line
}

// Headings lists the headings of doc in document order.
func Headings(doc *Doc) []Heading {
	var hs []Heading
	_ = ast.Walk(doc.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		h, ok := n.(*ast.Heading)
		if !ok {
			return ast.WalkContinue, nil
		}
		id := ""
		if v, ok := h.AttributeString("id"); ok {
			if b, ok := v.([]byte); ok {
				id = string(b)
			}
		}
		hs = append(hs, Heading{
			Level:      h.Level,
			Text:       PlainText(h, doc.Source),
			Raw:        rawText(h, doc.Source),
			Annotation: attrString(h, mdext.AttrAnnotation),
			Rule:       attrString(h, mdext.AttrRule),
			ID:         id,
			Offset:     NodeOffset(h, doc.Source),
		})
		return ast.WalkSkipChildren, nil
	})
	return hs
}

// RecoveredTables returns the byte offsets of the tables that were pasted
// without the syntax of a GFM table and recovered by rule pipe-table.
func RecoveredTables(doc *Doc) []int {
	var offs []int
	_ = ast.Walk(doc.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || n.Kind() != east.KindTable {
			return ast.WalkContinue, nil
		}
		if attrString(n, mdext.AttrRule) == mdext.RulePipeTable {
			offs = append(offs, NodeOffset(n, doc.Source))
		}
		return ast.WalkSkipChildren, nil
	})
	return offs
}

// rawText returns the heading's text as written.
func rawText(h *ast.Heading, src []byte) string {
	if v, ok := h.AttributeString(mdext.AttrRaw); ok {
		if seg, ok := v.(text.Segment); ok {
			return string(seg.Value(src))
		}
	}
	lines := h.Lines()
	parts := make([]string, 0, lines.Len())
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		parts = append(parts, strings.TrimSpace(string(seg.Value(src))))
	}
	return strings.Join(parts, " ")
}

func attrString(n ast.Node, name string) string {
	v, ok := n.AttributeString(name)
	if !ok {
		return ""
	}
	switch v := v.(type) {
	case []byte:
		return string(v)
	case string:
		return v
	}
	return ""
}

// PlainText returns the text of n and its descendants, without markup.
func PlainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.CodeSpan:
			for t := c.FirstChild(); t != nil; t = t.NextSibling() {
				if tt, ok := t.(*ast.Text); ok {
					b.Write(tt.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// NodeOffset returns the byte offset in src where n starts: the start of its
// first line for a block, of its first text segment for an inline. It is -1
// for a node that holds no text at all. A heading always has one: an empty
// heading ("#") is placed by the position goldmark recorded when opening it.
func NodeOffset(n ast.Node, src []byte) int {
	if n.Type() == ast.TypeBlock {
		if l := n.Lines(); l != nil && l.Len() > 0 {
			return lineStart(src, l.At(0).Start)
		}
		if n.Kind() == ast.KindHeading && n.Pos() >= 0 {
			return lineStart(src, n.Pos())
		}
	}
	if t, ok := n.(*ast.Text); ok {
		return t.Segment.Start
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if o := NodeOffset(c, src); o >= 0 {
			return o
		}
	}
	return -1
}

func lineStart(src []byte, off int) int {
	if off > len(src) {
		off = len(src)
	}
	return bytes.LastIndexByte(src[:off], '\n') + 1
}
