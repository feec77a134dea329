package mdext

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// listHeadingTransformer lifts headings out of list items. Authors who
// write "* ### S3 File Gateway" use the bullet for layout: the heading is a
// heading of its level, and what follows it in the item is its content.
//
// A list with at least one item that starts with a heading is replaced, in
// its parent, by: a list of the plain items before the first heading item;
// then, for each heading item, the heading and the rest of the item (a
// paragraph of a tight item becomes a real paragraph), followed by a list of
// the plain items after it up to the next heading item. Lists that the
// lifting brings up a level ("  * #### Cached volumes" inside a lifted item)
// are lifted in turn. A heading item inside a plain item stays where it is
// relative to that item: lifting it further would break the plain item.
type listHeadingTransformer struct{}

// NewListHeadingTransformer returns the AST transformer of rule
// list-heading.
func NewListHeadingTransformer() parser.ASTTransformer {
	return listHeadingTransformer{}
}

func (listHeadingTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	liftIn(doc)
}

// liftIn lifts the heading items of the lists among parent's descendants.
func liftIn(parent ast.Node) {
	for c := parent.FirstChild(); c != nil; {
		if l, ok := c.(*ast.List); ok && hasHeadingItem(l) {
			// Go on from the first node that replaced the list: the lifted
			// content may hold lists with heading items of its own.
			c = lift(l)
			continue
		}
		liftIn(c)
		c = c.NextSibling()
	}
}

func hasHeadingItem(l *ast.List) bool {
	for it := l.FirstChild(); it != nil; it = it.NextSibling() {
		if _, ok := it.FirstChild().(*ast.Heading); ok {
			return true
		}
	}
	return false
}

// lift replaces l in its parent as liftIn describes and returns the first
// node that replaced it (or what followed l, when nothing did).
func lift(l *ast.List) ast.Node {
	parent := l.Parent()
	var out []ast.Node
	var plain *ast.List
	index := 0
	for item := l.FirstChild(); item != nil; index++ {
		next := item.NextSibling()
		h, ok := item.FirstChild().(*ast.Heading)
		if !ok {
			if plain == nil {
				plain = ast.NewList(l.Marker)
				plain.IsTight = l.IsTight
				plain.Start = l.Start + index
				plain.SetPos(item.Pos())
				plain.SetBlankPreviousLines(item.HasBlankPreviousLines())
				out = append(out, plain)
			}
			plain.AppendChild(plain, item)
			item = next
			continue
		}
		plain = nil
		if _, ok := h.AttributeString(AttrRule); !ok {
			h.SetAttributeString(AttrRule, RuleListHeading)
		}
		for ch := item.FirstChild(); ch != nil; {
			nx := ch.NextSibling()
			item.RemoveChild(item, ch)
			out = append(out, asBlock(ch))
			ch = nx
		}
		item = next
	}
	for _, n := range out {
		parent.InsertBefore(parent, l, n)
	}
	after := l.NextSibling()
	parent.RemoveChild(parent, l)
	if len(out) > 0 {
		return out[0]
	}
	return after
}

// asBlock turns the text block of a tight item into the paragraph it is
// once outside the list.
func asBlock(n ast.Node) ast.Node {
	tb, ok := n.(*ast.TextBlock)
	if !ok {
		return n
	}
	p := ast.NewParagraph()
	p.SetLines(tb.Lines())
	p.SetPos(tb.Pos())
	for c := tb.FirstChild(); c != nil; {
		nx := c.NextSibling()
		p.AppendChild(p, c)
		c = nx
	}
	return p
}
