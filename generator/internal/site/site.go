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
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/gen-site/gen/generator/internal/clean"
	"github.com/gen-site/gen/generator/internal/diag"
	"github.com/gen-site/gen/generator/internal/graph"
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
}

// Note is one note ready to render.
type Note struct {
	Source *source.Note
	Clean  *clean.Result
	Doc    *parse.Doc
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
}

// Page is the data of one template execution.
type Page struct {
	Kind        string // home, note, 404
	Path        string // output path, relative to the site root
	Title       string
	Description string
	Canonical   string
	Site        *Site
	Notes       []NoteLink // on the home page
	Note        *NoteView  // on a note page

	root   string // "" or "../" ...: the way from this page to the site root
	assets map[string]string
}

// Rel returns the URL of a site path (such as "notes/x.html") relative to
// the page.
func (p *Page) Rel(target string) string {
	if target == "index.html" && p.root == "" {
		return "index.html"
	}
	return p.root + target
}

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
	Path  string
	Date  string
	Tags  []string
	HTML  template.HTML
	Lines int
}

// Build renders every page of the site from the notes and the graph made
// of them (g may be nil: then only note pages are made).
func Build(p *parse.Parser, notes []*Note, g *graph.Graph, opts Options) ([]output.File, diag.List) {
	_ = g
	var diags diag.List
	b := &builder{parser: p, opts: opts}
	if b.opts.Title == "" {
		b.opts.Title = "Notes"
	}
	base, basePath := normalizeBase(opts.BaseURL)
	b.base, b.basePath = base, basePath
	b.site = &Site{Title: b.opts.Title, BaseURL: base, NoteCount: len(notes)}

	if err := b.loadAssets(); err != nil {
		diags.Errorf("assets", 0, "assets", "%v", err)
		return nil, diags
	}
	if err := b.loadTemplates(); err != nil {
		diags.Errorf("templates", 0, "template", "%v", err)
		return nil, diags
	}

	bySourcePath := map[string]*Note{}
	for _, n := range notes {
		bySourcePath[n.Source.Path] = n
	}

	var links []NoteLink
	for _, n := range notes {
		links = append(links, NoteLink{
			Title: n.Title(), URL: NoteURL(n.Source.Slug), Path: n.Source.Path,
			Headings: len(parse.Headings(n.Doc)), Lines: lineCount(n.Source.Raw),
		})
	}

	b.page(&Page{Kind: "home", Path: "index.html", Title: b.opts.Title,
		Description: fmt.Sprintf("%s: %d notes.", b.opts.Title, len(notes)), Notes: links}, &diags)

	for _, n := range notes {
		rewriteLinks(n, bySourcePath, &diags)
		var body bytes.Buffer
		if err := p.Render(&body, n.Doc); err != nil {
			diags.Errorf(n.Source.Path, 0, "render", "cannot render: %v", err)
			continue
		}
		title := n.Title()
		b.page(&Page{
			Kind: "note", Path: NoteURL(n.Source.Slug), Title: title,
			Description: describe(n),
			Note: &NoteView{Path: n.Source.Path, Date: n.Source.Front.Date, Tags: n.Source.Front.Tags,
				HTML: template.HTML(body.String()), Lines: lineCount(n.Source.Raw)},
		}, &diags)
	}

	// The 404 page is served by hosts at whatever address was asked for, so
	// its links must not be relative: they start from the base path.
	b.page(&Page{Kind: "404", Path: "404.html", Title: "Page not found", root: basePath}, &diags)

	b.files = append(b.files, output.File{Path: "sitemap.xml", Data: b.sitemap()})
	b.files = append(b.files, b.assetFiles...)
	return b.files, diags
}

type builder struct {
	parser     *parse.Parser
	opts       Options
	site       *Site
	base       string
	basePath   string
	tmpl       map[string]*template.Template
	assets     map[string]string
	assetFiles []output.File
	files      []output.File
	pages      []string
}

func (b *builder) page(pg *Page, diags *diag.List) {
	if pg.root == "" {
		pg.root = strings.Repeat("../", strings.Count(pg.Path, "/"))
	}
	pg.Site = b.site
	pg.assets = b.assets
	if pg.Kind != "404" {
		pg.Canonical = b.absURL(pg.Path)
	}
	t, ok := b.tmpl[pg.Kind]
	if !ok {
		diags.Errorf("templates/"+pg.Kind+".html", 0, "template", "missing template for %s pages", pg.Kind)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "base", pg); err != nil {
		diags.Errorf("templates/"+pg.Kind+".html", 0, "template", "%v", err)
		return
	}
	b.files = append(b.files, output.File{Path: pg.Path, Data: buf.Bytes()})
	if pg.Kind != "404" {
		b.pages = append(b.pages, pg.Path)
	}
}

// kinds are the page kinds and so the template files besides base.html.
var kinds = []string{"home", "note", "404"}

func (b *builder) loadTemplates() error {
	baseText, err := fs.ReadFile(b.opts.Templates, "base.html")
	if err != nil {
		return fmt.Errorf("cannot read base.html: %w", err)
	}
	b.tmpl = map[string]*template.Template{}
	for _, k := range kinds {
		text, err := fs.ReadFile(b.opts.Templates, k+".html")
		if err != nil {
			return fmt.Errorf("cannot read %s.html: %w", k, err)
		}
		t, err := template.New("base.html").Option("missingkey=error").Parse(string(baseText))
		if err != nil {
			return err
		}
		if _, err := t.New(k + ".html").Parse(string(text)); err != nil {
			return err
		}
		b.tmpl[k] = t
	}
	return nil
}

// loadAssets reads every file of the assets folder and names it by its
// content ("style.css" → "assets/style.1a2b3c4d.css"), so hosts can cache it
// for ever. The syntax highlighting stylesheet is made here from chroma.
func (b *builder) loadAssets() error {
	b.assets = map[string]string{}
	add := func(name string, data []byte) {
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
	if _, ok := b.assets["syntax.css"]; !ok {
		add("syntax.css", SyntaxCSS())
	}
	return nil
}

func (b *builder) absURL(p string) string {
	if p == "index.html" {
		p = ""
	}
	return b.base + p
}

func (b *builder) sitemap() []byte {
	var buf bytes.Buffer
	buf.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	buf.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	pages := slices.Clone(b.pages)
	slices.Sort(pages)
	for _, p := range pages {
		fmt.Fprintf(&buf, "  <url><loc>%s</loc></url>\n", template.HTMLEscapeString(b.absURL(p)))
	}
	buf.WriteString("</urlset>\n")
	return buf.Bytes()
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

// rewriteLinks points links between notes ("other.md", "../x/y.txt#part")
// at the pages of those notes, and reports links to notes that do not
// exist.
func rewriteLinks(n *Note, bySourcePath map[string]*Note, diags *diag.List) {
	_ = ast.Walk(n.Doc.Root, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		l, ok := c.(*ast.Link)
		if !ok {
			return ast.WalkContinue, nil
		}
		dest := string(l.Destination)
		u, err := url.Parse(dest)
		if err != nil || u.Scheme != "" || u.Host != "" || u.Path == "" || strings.HasPrefix(u.Path, "/") {
			return ast.WalkContinue, nil
		}
		if !source.IsNoteName(u.Path) {
			return ast.WalkContinue, nil
		}
		target := path.Join(path.Dir(n.Source.Path), u.Path)
		t, ok := bySourcePath[target]
		if !ok {
			line := n.Clean.RawLine(parse.NodeOffset(l, n.Doc.Source))
			diags.Warnf(n.Source.Path, line, "link", "link to a missing note %q", dest)
			return ast.WalkContinue, nil
		}
		nd := t.Source.Slug + ".html"
		if u.Fragment != "" {
			nd += "#" + u.Fragment
		}
		l.Destination = []byte(nd)
		return ast.WalkContinue, nil
	})
}
