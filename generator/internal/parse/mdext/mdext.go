// Package mdext holds gen's goldmark extensions: the lenient syntax of real
// study notes, recovered with goldmark's own extension points instead of
// string munging, so that code spans and fenced blocks are never touched and
// every node keeps its position in the source.
//
// # Rules
//
// Every rule is also tested where it must not fire (see testdata/*.txt).
//
//   - atx-nospace: "#AWS BigData" and "##Collection" are headings. A block
//     parser that runs before goldmark's ATX parser (and opens the ordinary
//     "# X" form by delegating to it). The no-space form is taken only at the
//     start of a block (never inside a paragraph, so "#aws" in prose stays
//     prose), when the text after the hashes starts with a letter (not "#123"
//     nor "#!shebang"), is not a C preprocessor directive ("#include"), is not
//     a list of tags ("#aws #s3"), and is either capitalised or has two words
//     or more ("#hashtag" alone stays a paragraph).
//   - annotation: a trailing remark from [annotations], such as
//     "(Not in Mind Map)", is cut from the heading's text before its id is
//     made, and kept in the attribute [AttrAnnotation]; the text as written
//     stays in [AttrRaw]. "DMS (Database Migration Service)" keeps its
//     parenthesis: only the remarks listed are annotations.
//   - list-heading: a heading that opens a list item ("* ### S3 File
//     Gateway") is lifted out of its list; the rest of the item, and the
//     plain items after it up to the next heading item, follow it as its
//     content. See [NewListHeadingTransformer].
//   - pipe-table: pipe tables as people paste them (no outer pipes, no
//     delimiter row, a header with one cell fewer or more than the body,
//     trailing empty cells) become tables. A well-formed GFM table is left to
//     goldmark's table extension. See [NewPipeTableTransformer].
//   - bold-title: a bold line alone before a list ("**Limits**") is a
//     heading one level below the last real heading. See
//     [NewBoldTitleTransformer].
//   - banner, title (plaintext notes only): "=== STORAGE ===" is a level-1
//     heading; a short bare line directly followed by a "- " bullet is a
//     level-2 heading, unless it merely continues the bullet before it. A
//     pasted table after a bullet starts its own block instead of being a
//     lazy continuation of the bullet.
package mdext

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Options selects the rules that depend on the form of a note.
type Options struct {
	// Plaintext turns on the outline rules (banner, title, and tables that
	// interrupt a bullet). They would misread ordinary markdown, where a
	// short line before a list is usually a sentence of the paragraph.
	Plaintext bool
}

// Lenient is the extender that adds every rule of this package to a
// goldmark instance. Its zero value is the set for markdown notes.
type Lenient struct {
	Options
}

// New returns the extender for opts.
func New(opts Options) *Lenient {
	return &Lenient{Options: opts}
}

// Priorities, relative to goldmark's defaults (setext 100, ATX 600,
// paragraph 1000; link reference definitions 100 and GFM tables 200 among
// paragraph transformers).
const (
	prioBanner    = 90  // before setext, which also triggers on '='
	prioATX       = 599 // before goldmark's ATX parser, which it wraps
	prioPipeBlock = 940 // free parsers: before the paragraph parser
	prioTitle     = 950
	prioPipeTable = 190 // after link reference definitions, before GFM tables
	prioListHead  = 100
	prioBoldTitle = 110 // after list headings are lifted
)

// Extend implements goldmark.Extender.
func (e *Lenient) Extend(m goldmark.Markdown) {
	bps := []util.PrioritizedValue{
		util.Prioritized(NewATXParser(), prioATX),
	}
	if e.Plaintext {
		bps = append(bps,
			util.Prioritized(NewBannerParser(), prioBanner),
			util.Prioritized(NewPipeBlockParser(), prioPipeBlock),
			util.Prioritized(NewTitleParser(), prioTitle),
		)
	}
	m.Parser().AddOptions(
		parser.WithBlockParsers(bps...),
		parser.WithParagraphTransformers(util.Prioritized(NewPipeTableTransformer(), prioPipeTable)),
		parser.WithASTTransformers(
			util.Prioritized(NewListHeadingTransformer(), prioListHead),
			util.Prioritized(NewBoldTitleTransformer(), prioBoldTitle),
		),
	)
}

// Segment methods take pointers; these helpers take values, so that a
// segment fresh from text.Segments.At can be used in one expression.

func value(s text.Segment, src []byte) []byte { return s.Value(src) }

func trimLeft(s text.Segment, src []byte) text.Segment { return s.TrimLeftSpace(src) }

func trimRight(s text.Segment, src []byte) text.Segment { return s.TrimRightSpace(src) }

func trim(s text.Segment, src []byte) text.Segment { return trimRight(trimLeft(s, src), src) }
