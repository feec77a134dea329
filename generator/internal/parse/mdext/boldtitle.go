package mdext

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// RuleBoldTitle marks a heading recovered from a bold line.
const RuleBoldTitle = "bold-title"

// boldTitleTransformer turns a bold line that stands alone before a list
// into a heading: many authors write "**Kinesis Data Streams**" (or
// "__Limits:__") as the title of the bullets that follow it. The heading
// is one level below the last real heading before it, so that bold titles
// under "## Kinesis" become "###".
//
// It fires only on a paragraph at the top of the document whose whole text
// is one strong emphasis of at most eight words (a trailing colon aside),
// directly followed by a list: bold words inside a sentence, a bold
// sentence on its own, or a bold line before another paragraph stay as
// they are.
type boldTitleTransformer struct{}

// NewBoldTitleTransformer returns the AST transformer of rule bold-title.
func NewBoldTitleTransformer() parser.ASTTransformer {
	return boldTitleTransformer{}
}

func (boldTitleTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	last := 1
	for c := doc.FirstChild(); c != nil; {
		next := c.NextSibling()
		switch n := c.(type) {
		case *ast.Heading:
			if r, ok := n.AttributeString(AttrRule); !ok || string(asBytes(r)) != RuleBoldTitle {
				last = n.Level
			}
		case *ast.Paragraph:
			if _, isList := next.(*ast.List); isList {
				if em := boldOnly(n, src); em != nil {
					h := ast.NewHeading(min(6, last+1))
					h.SetLines(n.Lines())
					for g := em.FirstChild(); g != nil; {
						gn := g.NextSibling()
						h.AppendChild(h, g)
						g = gn
					}
					h.SetAttributeString(AttrRule, RuleBoldTitle)
					var title bytes.Buffer
					for g := h.FirstChild(); g != nil; g = g.NextSibling() {
						if t, ok := g.(*ast.Text); ok {
							title.Write(t.Segment.Value(src))
						}
					}
					h.SetAttributeString("id", pc.IDs().Generate(title.Bytes(), ast.KindHeading))
					doc.ReplaceChild(doc, n, h)
				}
			}
		}
		c = next
	}
}

func asBytes(v any) []byte {
	switch v := v.(type) {
	case []byte:
		return v
	case string:
		return []byte(v)
	}
	return nil
}

// boldOnly returns the strong emphasis that is the whole of a one-line
// paragraph (a colon after it allowed), or nil.
func boldOnly(p *ast.Paragraph, src []byte) *ast.Emphasis {
	if p.Lines().Len() != 1 {
		return nil
	}
	em, ok := p.FirstChild().(*ast.Emphasis)
	if !ok || em.Level != 2 {
		return nil
	}
	if rest := em.NextSibling(); rest != nil {
		t, ok := rest.(*ast.Text)
		if !ok || rest.NextSibling() != nil || string(bytes.TrimSpace(t.Segment.Value(src))) != ":" {
			return nil
		}
	}
	words := 0
	for g := em.FirstChild(); g != nil; g = g.NextSibling() {
		t, ok := g.(*ast.Text)
		if !ok {
			return nil // a link or code inside: a phrase, not a title
		}
		words += len(bytes.Fields(t.Segment.Value(src)))
	}
	if words == 0 || words > 8 {
		return nil
	}
	return em
}
