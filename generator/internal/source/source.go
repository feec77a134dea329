// Package source reads a site's notes from a file system: it finds every
// note file, gives each a stable id, hashes its bytes and splits off its front
// matter. It never changes a note's bytes: what later stages show must be
// traceable to the file as it is on disk.
package source

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gen-site/gen/generator/internal/diag"
	"github.com/gen-site/gen/generator/internal/par"
	yaml "go.yaml.in/yaml/v3"
)

// NoteExts are the file name extensions of notes.
var noteExts = []string{".md", ".markdown", ".txt"}

// DefaultMaxNoteSize is the largest note read when Options.MaxNoteSize is 0.
const DefaultMaxNoteSize = 32 << 20

// Note is one raw note file.
type Note struct {
	ID   string // stable id derived from the path: "n-" + slug
	Slug string // the id without its prefix, used in URLs
	Path string // slash-separated, relative to the content folder
	Raw  []byte // the file exactly as read
	Hash [sha256.Size]byte

	Front     FrontMatter
	HasFront  bool
	Body      []byte // Raw without the front matter
	BodyStart int    // byte offset of Body in Raw
	BodyLine  int    // 1-based line of Raw where Body starts
}

// FrontMatter is the metadata block at the top of a Hexo, Jekyll or Hugo
// note.
type FrontMatter struct {
	Title      string
	Date       string
	Tags       []string
	Categories []string
	Extra      map[string]any // every other key, as YAML decoded it
}

// Options controls Load.
type Options struct {
	// MaxNoteSize is the largest note file, in bytes, that Load reads;
	// larger files are reported and skipped. 0 means DefaultMaxNoteSize.
	MaxNoteSize int64
}

// Load reads every note under notes/ in fsys (or, when fsys has no notes
// folder, every note file in fsys), sorted by path. Problems with single
// files are returned as diagnostics; the notes that could be read are
// returned with them.
func Load(fsys fs.FS, opts Options) ([]*Note, diag.List) {
	var diags diag.List
	maxSize := opts.MaxNoteSize
	if maxSize <= 0 {
		maxSize = DefaultMaxNoteSize
	}
	root := "notes"
	fi, err := fs.Stat(fsys, root)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		// Most often a symbolic link out of the content folder, which is
		// not followed: say so rather than build a site without notes.
		diags.Errorf(root, 0, "read", "cannot read the notes folder: %v (links out of the content folder are not followed; give --content the folder itself)", unwrapPath(err))
		return nil, diags
	}
	if err != nil || !fi.IsDir() {
		root = "."
	}
	var paths []string
	err = fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			diags.Errorf(p, 0, "read", "cannot read: %v", unwrapPath(err))
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		name := d.Name()
		if p != root && strings.HasPrefix(name, ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !IsNoteName(name) {
			return nil
		}
		paths = append(paths, p)
		return nil
	})
	if err != nil {
		diags.Errorf(root, 0, "read", "cannot list notes: %v", err)
	}
	slices.Sort(paths)

	// Each file is read, hashed and split on its own, on every core; the
	// slugs, unique across notes, are then given in path order.
	type read struct {
		note  *Note
		diags diag.List
	}
	reads := make([]read, len(paths))
	par.ForEach(len(paths), func(i int) {
		reads[i].note = readNote(fsys, paths[i], maxSize, &reads[i].diags)
	})
	slugs := map[string]string{}
	var notes []*Note
	for i, p := range paths {
		diags = append(diags, reads[i].diags...)
		n := reads[i].note
		if n == nil {
			continue
		}
		n.Slug = uniqueSlug(slugs, Slugify(strings.TrimSuffix(strings.TrimPrefix(p, "notes/"), path.Ext(p))), p)
		n.ID = "n-" + n.Slug
		notes = append(notes, n)
	}
	return notes, diags
}

// readNote reads the note at p, without its slug and id, or reports why
// it is no note in diags.
func readNote(fsys fs.FS, p string, maxSize int64, diags *diag.List) *Note {
	fi, err := fs.Stat(fsys, p)
	if err != nil {
		diags.Errorf(p, 0, "read", "cannot read: %v", unwrapPath(err))
		return nil
	}
	if !fi.Mode().IsRegular() {
		diags.Errorf(p, 0, "read", "not a regular file")
		return nil
	}
	if fi.Size() > maxSize {
		diags.Errorf(p, 0, "size", "note is %s, larger than the %s limit; split it or raise --max-note-size", humanBytes(fi.Size()), humanBytes(maxSize))
		return nil
	}
	raw, err := fs.ReadFile(fsys, p)
	if err != nil {
		diags.Errorf(p, 0, "read", "cannot read: %v", unwrapPath(err))
		return nil
	}
	if isBinary(raw) {
		diags.Warnf(p, 0, "binary", "looks like a binary file, not a note; skipped")
		return nil
	}
	n := &Note{Path: p, Raw: raw, Hash: sha256.Sum256(raw), Body: raw, BodyLine: 1}
	if len(bytes.TrimSpace(raw)) == 0 {
		diags.Warnf(p, 0, "empty", "note is empty")
	}
	splitFront(n, diags)
	return n
}

// IsNoteName reports whether a file name has a note extension.
func IsNoteName(name string) bool {
	return slices.Contains(noteExts, strings.ToLower(path.Ext(name)))
}

// unwrapPath drops the *fs.PathError wrapper, whose path would repeat the
// one the diagnostic already names.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// isBinary reports whether b looks like a binary file: text notes never hold
// NUL bytes, and a sample of the start is enough to tell.
func isBinary(b []byte) bool {
	sample := b[:min(len(b), 8000)]
	return bytes.IndexByte(sample, 0) >= 0
}

func uniqueSlug(seen map[string]string, slug, p string) string {
	if slug == "" {
		slug = "note"
	}
	s := slug
	for i := 2; ; i++ {
		if _, dup := seen[s]; !dup {
			seen[s] = p
			return s
		}
		s = fmt.Sprintf("%s-%d", slug, i)
	}
}

// Slugify turns s into a URL path segment: lowercase ASCII letters, digits,
// '_' and '-', with every other run of characters turned into one '-'.
func Slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	return b.String()
}

// splitFront separates a leading "---" YAML block from the body of n and
// decodes it. A block that is not valid YAML is an error at its line. A
// block that is valid YAML but not a mapping ("---", a line of text, "---")
// is Markdown, a thematic break and a setext heading, so the note is then
// read as having no front matter.
func splitFront(n *Note, diags *diag.List) {
	raw := n.Raw
	start := 0
	if bytes.HasPrefix(raw, []byte("\xef\xbb\xbf")) {
		start = 3
	}
	first, rest, ok := cutLine(raw[start:])
	if !ok || strings.TrimRight(string(first), " \t\r") != "---" {
		return
	}
	// Find the closing line: "---" or "...".
	off := start + len(raw[start:]) - len(rest)
	line := 2
	for len(rest) > 0 {
		l, next, _ := cutLine(rest)
		t := strings.TrimRight(string(l), " \t\r")
		if t == "---" || t == "..." {
			yamlText := raw[start+len(first)+1 : off]
			if !decodeFront(n, yamlText, diags) {
				return
			}
			n.HasFront = true
			n.BodyStart = off + len(rest) - len(next)
			n.Body = raw[n.BodyStart:]
			n.BodyLine = line + 1
			return
		}
		off += len(rest) - len(next)
		rest = next
		line++
	}
	// No closing line: a thematic break at the top, not front matter.
}

func cutLine(b []byte) (line, rest []byte, ok bool) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return b, nil, false
	}
	return b[:i], b[i+1:], true
}

// frontLine is the raw line of the first line inside a front matter block.
const frontLine = 2

// decodeFront decodes the YAML text of a front matter block into n.Front. It
// reports false when the text is valid YAML but not a mapping, and so not
// front matter at all.
func decodeFront(n *Note, text []byte, diags *diag.List) bool {
	// A stray byte in a title should cost a warning, as it does in the
	// body, not the whole build: YAML refuses invalid UTF-8 outright.
	if !utf8.Valid(text) {
		for i, l := range bytes.SplitAfter(text, []byte("\n")) {
			if b, ok := firstInvalid(l); ok {
				diags.Warnf(n.Path, frontLine+i, "utf8", "invalid UTF-8 byte \\x%02X replaced with U+FFFD", b)
			}
		}
		text = bytes.ToValidUTF8(text, []byte("\uFFFD"))
	}
	if fm, ok := fastFront(text); ok {
		n.Front = fm
		return true
	}
	return yamlFront(n, text, diags)
}

// yamlFront is decodeFront for valid UTF-8, with the YAML decoder.
func yamlFront(n *Note, text []byte, diags *diag.List) bool {
	var doc yaml.Node
	if err := yaml.Unmarshal(text, &doc); err != nil {
		frontError(n, err, diags)
		return true
	}
	if len(doc.Content) > 0 && doc.Content[0].Kind != yaml.MappingNode {
		return false
	}
	var m map[string]any
	if err := doc.Decode(&m); err != nil {
		frontError(n, err, diags)
		return true
	}
	fm := FrontMatter{Extra: map[string]any{}}
	for k, v := range m {
		switch strings.ToLower(k) {
		case "title":
			fm.Title = strings.TrimSpace(scalar(v))
		case "date":
			fm.Date = scalar(v)
		case "tags", "tag":
			fm.Tags = append(fm.Tags, list(v)...)
		case "categories", "category":
			fm.Categories = append(fm.Categories, list(v)...)
		default:
			fm.Extra[k] = v
		}
	}
	n.Front = fm
	return true
}

func firstInvalid(b []byte) (byte, bool) {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return b[i], true
		}
		i += size
	}
	return 0, false
}

// frontError reports a YAML error at the raw line it names.
func frontError(n *Note, err error, diags *diag.List) {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	line := 1 // of the YAML text; an error without a line is on its first
	if l, rest, ok := yamlLine(msg); ok {
		line, msg = l, rest
	}
	diags.Errorf(n.Path, frontLine-1+line, "front-matter", "front matter is not valid YAML: %s", msg)
}

// yamlLine pulls the 1-based line number out of a YAML error such as
// "line 3: mapping values are not allowed in this context".
//
// The YAML package counts lines from 1 for errors of its scanner but from 0
// for errors of its parser, whose messages all begin "did not find
// expected" or "found" followed by something about directives or
// documents; those numbers are moved up by one.
func yamlLine(msg string) (int, string, bool) {
	rest, ok := strings.CutPrefix(msg, "line ")
	if !ok {
		return 0, msg, false
	}
	num, rest, ok := strings.Cut(rest, ":")
	l, err := strconv.Atoi(num)
	if !ok || err != nil {
		return 0, msg, false
	}
	rest = strings.TrimSpace(rest)
	if isParserError(rest) {
		l++
	}
	return l, rest, true
}

// parserErrors are the problems the YAML parser (not its scanner) reports;
// see yaml_parser_set_parser_error in go.yaml.in/yaml/v3's parserc.go.
var parserErrors = []string{
	"did not find expected",
	"found duplicate %",
	"found incompatible YAML document",
	"found undefined tag handle",
}

func isParserError(msg string) bool {
	return slices.ContainsFunc(parserErrors, func(p string) bool { return strings.HasPrefix(msg, p) })
}

func scalar(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case time.Time:
		if v.Hour() == 0 && v.Minute() == 0 && v.Second() == 0 {
			return v.Format("2006-01-02")
		}
		return v.Format("2006-01-02 15:04:05")
	default:
		return fmt.Sprint(v)
	}
}

func list(v any) []string {
	switch v := v.(type) {
	case nil:
		return nil
	case []any:
		var out []string
		for _, x := range v {
			if s := strings.TrimSpace(scalar(x)); s != "" {
				out = append(out, s)
			}
		}
		return out
	default:
		if s := strings.TrimSpace(scalar(v)); s != "" {
			return []string{s}
		}
		return nil
	}
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	default:
		return fmt.Sprintf("%d B", n)
	}
}
