// Package site renders the pages of a site from its notes with the
// html/template files of templates/ and copies assets/ with content-hashed
// names. It returns files in memory; package output writes them.
//
// Every link between pages is relative ("../notes/x.html"), so one build
// works at a site root, under a sub-path and from file://. Absolute URLs,
// made from the base URL, appear only where a standard asks for them: the
// canonical link, the sitemap and the 404 page (which a host serves at any
// depth).
package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"path"
	"strings"

	"github.com/gen-site/gen/generator/internal/clean"
	"github.com/gen-site/gen/generator/internal/diag"
	"github.com/gen-site/gen/generator/internal/minify"
	"github.com/gen-site/gen/generator/internal/output"
	"github.com/gen-site/gen/generator/internal/parse"
	"github.com/gen-site/gen/generator/internal/source"
	"github.com/yuin/goldmark/ast"
)

// Options controls Build.
type Options struct {
	BaseURL   string // absolute ("https://example.org/notes/") or a path ("/notes/"); "" means "/"
	Title     string // the site's name; "" means "Notes"
	Templates fs.FS  // the templates folder: base.html plus one file per page kind
	Assets    fs.FS  // the assets folder, copied with hashed names
	// BrokenLinksWarn makes a broken internal link (to a missing note,
	// anchor or entity) a warning instead of an error: a live preview
	// keeps serving while the author fixes it; a build fails.
	BrokenLinksWarn bool
	// Offline makes pages for reading from file://: no canonical link,
	// which would be an absolute URL.
	Offline bool
}

// Note is one note ready to render.
type Note struct {
	Source *source.Note
	Clean  *clean.Result
	Doc    *parse.Doc
	// Prep, when Doc is nil, is what a Renderer reads of the note's tree
	// (Prepare), for a caller that let the tree go: the note is taken as
	// changed, as with a Doc, and its page is made from a new parse. The
	// Renderer clears it once read.
	Prep *Prepared
	// memo is what a Renderer keeps of the note, for the next render of
	// the same note.
	memo *noteMemo
}

// CleanSource cleans a note's body, as every build and preview does.
func CleanSource(n *source.Note) *clean.Result {
	return clean.Clean(n.Body, clean.Options{FirstLine: n.BodyLine, FirstOff: n.BodyStart, FrontMatter: n.HasFront})
}

// cleaned gives n its cleaned text if it has none: a preview that took the
// note from its cache has what the pages of other notes read of it, and
// cleans the note again only to make its own page.
func (n *Note) cleaned() {
	if n.Clean == nil {
		n.Clean = CleanSource(n.Source)
	}
}

// Title returns the note's title: its front matter title, else its first
// heading, else its file name.
func (n *Note) Title() string {
	if t := n.Source.Front.Title; t != "" {
		return t
	}
	if hs := parse.Headings(n.Doc); len(hs) > 0 && hs[0].Text != "" {
		return hs[0].Text
	}
	return strings.TrimSuffix(path.Base(n.Source.Path), path.Ext(n.Source.Path))
}

// URL returns the page of a note, relative to the site root.
func NoteURL(slug string) string { return "notes/" + slug + ".html" }

// Site is the data every template sees as .Site.
type Site struct {
	Title     string
	BaseURL   string
	NoteCount int
	// HasGraph says whether the site has entities, and so a graph page.
	HasGraph bool
	// Absolute says whether BaseURL is absolute, as Open Graph and the
	// sitemap need.
	Absolute bool
}

// Page is the data of one template execution.
type Page struct {
	Kind        string // home, note, entity, category, comparison, graph, list, search, 404
	Path        string // output path, relative to the site root
	Title       string
	Description string
	Canonical   string
	Site        *Site
	Notes       []NoteLink    // on the home page: the first HomeNotes notes
	NotesTotal  int           // on the home page: all notes
	AllNotes    string        // on the home page: the path of the list of all notes, "" when Notes holds them all
	List        []Link        // on a list page (kind "list")
	Note        *NoteView     // on a note page
	Home        *HomeView     // on the home page
	Entity      *EntityView   // on an entity page
	Category    *CategoryView // on a category page
	Comparison  *TableView    // on a comparison page
	Graph       *GraphView    // on the graph page
	Nav         []NavCategory // the left navigation
	NavCat      string        // the category whose entries the navigation shows open
	TOC         []TOCItem     // the page's table of contents

	root   string // "" or "../" ...: the way from this page to the site root
	assets map[string]string
	tmpl   *template.Template // the set the page is made with, for Fragment
	frags  *pageFragments     // nil but in a Renderer's making
}

// Rel returns the URL of a site path (such as "notes/x.html") relative to
// the page.
func (p *Page) Rel(target string) string {
	if target == "index.html" && p.root == "" {
		return "index.html"
	}
	return p.root + target
}

// Root returns the way from the page to the site root: "" or "../" and so
// on. Pages in the same folder share it, and so the relative links of what
// they show alike (a variant of partialCached).
func (p *Page) Root() string { return p.root }

// Asset returns the URL of an asset (by its name in assets/) relative to the
// page, with its content hash in the name.
func (p *Page) Asset(name string) (string, error) {
	h, ok := p.assets[name]
	if !ok {
		return "", fmt.Errorf("no asset %q in assets/", name)
	}
	return p.root + h, nil
}

// NoteLink is a note in a list.
type NoteLink struct {
	Title    string
	URL      string
	Path     string
	Headings int
	Lines    int
}

// NoteView is what a note page shows.
type NoteView struct {
	Path   string
	Date   string
	Tags   []string
	HTML   template.HTML
	Lines  int
	Format string
	Raw    []RawLine
	// RawHTML is Raw as the raw view's list items, ready to place inside
	// its <ol>.
	RawHTML  template.HTML
	Repaired int    // raw lines the cleaner changed
	Entities []Link // the entities the note mentions most, most first
	// TitleID and TitleLine are the id and raw line of the note's own
	// title heading, which the page's h1 replaces; "" and 0 for none.
	TitleID   string
	TitleLine int
}

// loadAssets reads every file of the assets folder and names it by its
// content ("style.css" → "assets/style.1a2b3c4d.css"), so hosts can cache it
// for ever. The syntax highlighting and category colour stylesheets are made
// here, from chroma and from the palette.
//
// JavaScript and CSS are minified (see package minify); a Renderer keeps
// what it minified, by content, so that an edit does not pay for it again.
func (b *builder) loadAssets(diags *diag.List) error {
	b.assets = map[string]string{}
	failed := false
	used := map[[32]byte]bool{}
	add := func(name string, data []byte) {
		if minify.Applies(name) {
			key := sha256.Sum256(append([]byte(name+"\x00"), data...))
			used[key] = true
			if m, ok := b.minified[key]; ok {
				data = m
			} else {
				m, err := minify.Asset(name, data)
				if err != nil {
					var me *minify.Error
					if errors.As(err, &me) {
						diags.Errorf(path.Join("assets", name), me.Line, "asset", "%s", me.Msg)
					} else {
						diags.Errorf(path.Join("assets", name), 0, "asset", "%v", err)
					}
					failed = true
					return
				}
				if b.minified != nil {
					b.minified[key] = m
				}
				data = m
			}
		}
		sum := sha256.Sum256(data)
		ext := path.Ext(name)
		hashed := "assets/" + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		b.assets[name] = hashed
		b.assetFiles = append(b.assetFiles, output.File{Path: hashed, Data: data})
	}
	err := fs.WalkDir(b.opts.Assets, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		data, err := fs.ReadFile(b.opts.Assets, p)
		if err != nil {
			return err
		}
		add(p, data)
		return nil
	})
	if err != nil {
		return err
	}
	if failed {
		return errors.New("assets: syntax errors")
	}
	if _, ok := b.assets["syntax.css"]; !ok {
		add("syntax.css", SyntaxCSS())
	}
	if _, ok := b.assets["palette.css"]; !ok {
		add("palette.css", PaletteCSS())
	}
	for k := range b.minified {
		if !used[k] {
			delete(b.minified, k)
		}
	}
	return nil
}

func (b *builder) absURL(p string) string {
	if p == "index.html" {
		p = ""
	}
	return b.base + p
}

// normalizeBase returns the base URL with a trailing slash, and its path.
func normalizeBase(s string) (base, basePath string) {
	if s == "" {
		return "/", "/"
	}
	if !strings.HasSuffix(s, "/") {
		s += "/"
	}
	u, err := url.Parse(s)
	if err != nil || u.Path == "" {
		return s, "/"
	}
	return s, u.Path
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

// describe makes a meta description from the start of a note's text.
func describe(n *Note) string {
	var parts []string
	size := 0
	_ = ast.Walk(n.Doc.Root, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if size > 160 {
			return ast.WalkStop, nil
		}
		if p, ok := c.(*ast.Paragraph); ok {
			t := parse.PlainText(p, n.Doc.Source)
			parts = append(parts, t)
			size += len(t)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	d := strings.Join(parts, " ")
	if len(d) > 160 {
		cut := strings.LastIndexByte(d[:157], ' ')
		if cut < 80 {
			cut = 157
		}
		d = strings.ToValidUTF8(d[:cut], "") + "…"
	}
	return d
}
