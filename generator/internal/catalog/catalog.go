// Package catalog loads the entity catalog, content/catalog.yaml: the
// categories, entities (AWS services, outside systems, concepts) and topics
// that the notes are resolved against.
//
// The catalog is data, not code: every entity name lives in the YAML file so
// that a note author can add a service without touching Go. Load therefore
// validates the file strictly and reports every problem with its line, the
// way a compiler would, because a typo in a key or a duplicated alias
// silently changes what the whole site links to.
package catalog

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The kinds of entity. KindCategory is never written in the YAML file: it is
// the kind of the entities that AllEntities makes from the categories, so
// that a category has a page like any other entity.
const (
	KindService  = "service"
	KindSystem   = "system"
	KindConcept  = "concept"
	KindCategory = "category"
)

// Category is a group of entities that a learner browses by, such as
// Collection or Storage.
type Category struct {
	ID      string
	Name    string
	Summary string
	Line    int // line of the entry in the catalog file
}

// Entity is one thing the notes talk about.
type Entity struct {
	ID         string
	Name       string // canonical, current official name
	Kind       string // KindService, KindSystem, KindConcept or KindCategory
	Category   string // id of its category; "" for a category itself
	Parent     string // id of the family or product it is part of, or ""
	Aliases    []string
	Formerly   []string // former official names
	Contextual []string // names that count only in the entity's context
	Summary    string
	Docs       string
	Line       int // line of the entry in the catalog file
}

// Names returns the names that always stand for e: its name, aliases and
// former names.
func (e *Entity) Names() []string {
	out := make([]string, 0, 1+len(e.Aliases)+len(e.Formerly))
	out = append(out, e.Name)
	out = append(out, e.Aliases...)
	return append(out, e.Formerly...)
}

// Topic is what a section or fact is about (limits, security, ...), with
// the heading words that signal it.
type Topic struct {
	ID    string
	Name  string
	Words []string
	Line  int
}

// Catalog is a loaded catalog file.
type Catalog struct {
	Categories []Category
	Entities   []Entity
	Topics     []Topic

	all      []Entity         // categories as entities, then entities
	byID     map[string]int   // id → index in all
	children map[string][]int // parent id → indexes in all, in file order
	names    map[string][]int // Key of a name → indexes in all
}

// index builds the lookups. Load calls it once the lists are final.
func (c *Catalog) index() {
	c.all = make([]Entity, 0, len(c.Categories)+len(c.Entities))
	for _, cat := range c.Categories {
		c.all = append(c.all, Entity{ID: cat.ID, Name: cat.Name, Kind: KindCategory, Summary: cat.Summary, Line: cat.Line})
	}
	c.all = append(c.all, c.Entities...)
	c.byID = map[string]int{}
	c.children = map[string][]int{}
	c.names = map[string][]int{}
	for i := range c.all {
		e := &c.all[i]
		if _, dup := c.byID[e.ID]; !dup {
			c.byID[e.ID] = i
		}
		for _, n := range e.Names() {
			k := Key(n)
			if k != "" && !slices.Contains(c.names[k], i) {
				c.names[k] = append(c.names[k], i)
			}
		}
	}
	for i := range c.all {
		if p := c.all[i].Parent; p != "" {
			c.children[p] = append(c.children[p], i)
		}
	}
}

// AllEntities returns the categories, as entities of kind KindCategory,
// followed by the entities, in file order. The graph exports both kinds
// as entities.
func (c *Catalog) AllEntities() []Entity {
	return c.all
}

// ByID returns the entity or category with id, or nil.
func (c *Catalog) ByID(id string) *Entity {
	i, ok := c.byID[id]
	if !ok {
		return nil
	}
	return &c.all[i]
}

// Children returns the entities whose parent is id, in file order.
func (c *Catalog) Children(id string) []*Entity {
	var out []*Entity
	for _, i := range c.children[id] {
		out = append(out, &c.all[i])
	}
	return out
}

// Family returns the ancestors of id, nearest first: its parent, the
// parent's parent, and so on. It stops at a cycle, which Load reports.
func (c *Catalog) Family(id string) []*Entity {
	var out []*Entity
	seen := map[string]bool{id: true}
	e := c.ByID(id)
	for e != nil && e.Parent != "" && !seen[e.Parent] {
		seen[e.Parent] = true
		e = c.ByID(e.Parent)
		if e == nil {
			break
		}
		out = append(out, e)
	}
	return out
}

// Lookup returns the entities (categories included) that name stands for,
// comparing names by Key: case, punctuation, plurals and a leading
// "Amazon"/"AWS" do not matter. Contextual names are not consulted: they
// need a context that only the resolver has.
func (c *Catalog) Lookup(name string) []*Entity {
	var out []*Entity
	for _, i := range c.names[Key(name)] {
		out = append(out, &c.all[i])
	}
	return out
}

// prefixWords come before a service's name without being part of it.
var prefixWords = map[string]bool{"amazon": true, "aws": true}

// Key returns the form in which two names are the same name: the words of
// letters and digits, lowercase and singular, without a leading "Amazon" or
// "AWS" (unless that is the whole name). It agrees with the resolver's
// normalisation (resolve.Normalize), which a test checks, so that a clash
// the loader reports is a clash the resolver would meet.
func Key(name string) string {
	var words []string
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		words = append(words, normalize(w))
	}
	for len(words) > 1 && prefixWords[words[0]] {
		words = words[1:]
	}
	return strings.Join(words, " ")
}

// normalize lowercases w and makes it singular. It must stay in step with
// resolve.Normalize; it is copied rather than imported so that the
// resolver may depend on this package.
func normalize(w string) string {
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

// validID reports whether id is lowercase a-z and 0-9 words joined by
// single hyphens. Ids become file names and URLs, so nothing else is safe.
func validID(id string) bool {
	if id == "" || !utf8.ValidString(id) {
		return false
	}
	for _, part := range strings.Split(id, "-") {
		if part == "" {
			return false
		}
		for _, r := range part {
			if (r < 'a' || r > 'z') && (r < '0' || r > '9') {
				return false
			}
		}
	}
	return true
}
