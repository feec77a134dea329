package catalog

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/gen-site/gen/generator/internal/diag"
	"go.yaml.in/yaml/v3"
)

// The keys each part of the file may have. Anything else is a typo that
// would otherwise be ignored silently ("alias:" for "aliases:").
var (
	topKeys      = []string{"categories", "entities", "topics"}
	categoryKeys = []string{"id", "name", "summary"}
	entityKeys   = []string{"id", "name", "kind", "category", "parent", "aliases", "formerly", "contextual", "summary", "docs"}
	topicKeys    = []string{"id", "name", "words"}
	kinds        = []string{KindService, KindSystem, KindConcept}
)

// yamlLine finds the line in a YAML syntax error ("yaml: line 7: ...").
var yamlLine = regexp.MustCompile(`line (\d+)`)

// loader carries the diagnostics of one Load.
type loader struct {
	path  string
	diags diag.List
}

func (l *loader) errorf(line int, rule, format string, args ...any) {
	l.diags.Errorf(l.path, line, rule, format, args...)
}

func (l *loader) warnf(line int, rule, format string, args ...any) {
	l.diags.Warnf(l.path, line, rule, format, args...)
}

// Load parses and validates a catalog file; path names it in diagnostics.
// It returns the catalog even when there are errors, with what could be
// read, so that one mistake does not hide the rest of the file; callers
// must not build from it when the diagnostics have errors.
func Load(data []byte, path string) (*Catalog, diag.List) {
	l := &loader{path: path}
	c := &Catalog{}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line := 0
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
		}
		l.errorf(line, "yaml", "invalid YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
		c.index()
		return c, l.diags
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		l.errorf(0, "catalog-empty", "the catalog is empty")
		c.index()
		return c, l.diags
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		l.errorf(root.Line, "catalog-shape", "the catalog must be a mapping with categories, entities and topics")
		c.index()
		return c, l.diags
	}
	seen := map[string]bool{}
	l.fields(root, topKeys, "catalog", func(key string, v *yaml.Node) {
		seen[key] = true
		items := l.sequence(v, key)
		switch key {
		case "categories":
			for _, it := range items {
				c.Categories = append(c.Categories, l.category(it))
			}
		case "entities":
			for _, it := range items {
				c.Entities = append(c.Entities, l.entity(it))
			}
		case "topics":
			for _, it := range items {
				c.Topics = append(c.Topics, l.topic(it))
			}
		}
	})
	for _, k := range topKeys {
		if !seen[k] {
			l.errorf(root.Line, "missing-key", "the catalog has no %q list", k)
		}
	}
	c.index()
	l.validate(c)
	l.diags.Sort()
	return c, l.diags
}

// fields calls f for each key of mapping m that is in allowed, in file
// order, and reports unknown and repeated keys. what names the mapping in
// messages.
func (l *loader) fields(m *yaml.Node, allowed []string, what string, f func(key string, v *yaml.Node)) {
	seen := map[string]int{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			l.errorf(k.Line, "bad-key", "%s has a key that is not a plain word", what)
			continue
		}
		key := k.Value
		if !slices.Contains(allowed, key) {
			l.errorf(k.Line, "unknown-key", "unknown key %q in %s (allowed: %s)", key, what, strings.Join(allowed, ", "))
			continue
		}
		if first, dup := seen[key]; dup {
			l.errorf(k.Line, "duplicate-key", "key %q repeated in %s (first on line %d)", key, what, first)
			continue
		}
		seen[key] = k.Line
		f(key, v)
	}
}

// sequence returns the items of a list, reporting a value that is not one.
// An empty value ("entities:") is an empty list.
func (l *loader) sequence(v *yaml.Node, what string) []*yaml.Node {
	switch {
	case v.Kind == yaml.SequenceNode:
		return v.Content
	case v.Kind == yaml.ScalarNode && v.Tag == "!!null":
		return nil
	}
	l.errorf(v.Line, "bad-type", "%s must be a list", what)
	return nil
}

// mapping reports an item that is not a mapping.
func (l *loader) mapping(v *yaml.Node, what string) bool {
	if v.Kind != yaml.MappingNode {
		l.errorf(v.Line, "bad-type", "each item of %s must be a mapping of keys to values", what)
		return false
	}
	return true
}

// scalar returns the text of a single value.
func (l *loader) scalar(v *yaml.Node, key string) string {
	if v.Kind == yaml.AliasNode && v.Alias != nil {
		v = v.Alias
	}
	if v.Kind != yaml.ScalarNode {
		l.errorf(v.Line, "bad-type", "%s must be a single value, not a list or mapping", key)
		return ""
	}
	if v.Tag == "!!null" {
		return ""
	}
	return strings.TrimSpace(v.Value)
}

// strings returns the texts of a list of names, reporting empty ones.
func (l *loader) strings(v *yaml.Node, key string) []string {
	var out []string
	for _, it := range l.sequence(v, key) {
		s := l.scalar(it, key)
		if Key(s) == "" {
			l.errorf(it.Line, "empty-name", "%s has an empty name", key)
			continue
		}
		out = append(out, s)
	}
	return out
}

func (l *loader) category(n *yaml.Node) Category {
	c := Category{Line: n.Line}
	if !l.mapping(n, "categories") {
		return c
	}
	l.fields(n, categoryKeys, "a category", func(key string, v *yaml.Node) {
		switch key {
		case "id":
			c.ID = l.scalar(v, key)
		case "name":
			c.Name = l.scalar(v, key)
		case "summary":
			c.Summary = l.scalar(v, key)
		}
	})
	l.require(n.Line, "category", c.ID, map[string]string{"id": c.ID, "name": c.Name, "summary": c.Summary})
	return c
}

func (l *loader) entity(n *yaml.Node) Entity {
	e := Entity{Line: n.Line}
	if !l.mapping(n, "entities") {
		return e
	}
	l.fields(n, entityKeys, "an entity", func(key string, v *yaml.Node) {
		switch key {
		case "id":
			e.ID = l.scalar(v, key)
		case "name":
			e.Name = l.scalar(v, key)
		case "kind":
			e.Kind = l.scalar(v, key)
		case "category":
			e.Category = l.scalar(v, key)
		case "parent":
			e.Parent = l.scalar(v, key)
		case "aliases":
			e.Aliases = l.strings(v, key)
		case "formerly":
			e.Formerly = l.strings(v, key)
		case "contextual":
			e.Contextual = l.strings(v, key)
		case "summary":
			e.Summary = l.scalar(v, key)
		case "docs":
			e.Docs = l.scalar(v, key)
		}
	})
	l.require(n.Line, "entity", e.ID, map[string]string{"id": e.ID, "name": e.Name, "kind": e.Kind, "category": e.Category})
	// A page without a summary or a link is still useful, so these only
	// warn; the bundled catalog's test requires both.
	if e.ID != "" && e.Summary == "" {
		l.warnf(n.Line, "missing-summary", "entity %q has no summary", e.ID)
	}
	if e.ID != "" && e.Docs == "" {
		l.warnf(n.Line, "missing-docs", "entity %q has no docs URL", e.ID)
	}
	return e
}

func (l *loader) topic(n *yaml.Node) Topic {
	t := Topic{Line: n.Line}
	if !l.mapping(n, "topics") {
		return t
	}
	hasWords := false
	l.fields(n, topicKeys, "a topic", func(key string, v *yaml.Node) {
		switch key {
		case "id":
			t.ID = l.scalar(v, key)
		case "name":
			t.Name = l.scalar(v, key)
		case "words":
			hasWords = true
			t.Words = l.strings(v, key)
		}
	})
	words := ""
	if hasWords {
		words = "yes"
	}
	l.require(n.Line, "topic", t.ID, map[string]string{"id": t.ID, "name": t.Name, "words": words})
	return t
}

// require reports the required keys that are missing or empty, in a
// stable order.
func (l *loader) require(line int, what, id string, vals map[string]string) {
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	name := what
	if id != "" {
		name = fmt.Sprintf("%s %q", what, id)
	}
	for _, k := range keys {
		if vals[k] == "" {
			l.errorf(line, "missing-"+k, "%s has no %s", name, k)
		}
	}
}

// validate checks what spans entries: ids, references, cycles and names.
func (l *loader) validate(c *Catalog) {
	// Ids: one namespace for categories and entities, because both are
	// entities of the graph and pages of the site.
	firstID := map[string]int{}
	checkID := func(id string, line int, what string) {
		if id == "" {
			return
		}
		if !validID(id) {
			l.errorf(line, "bad-id", "%s id %q must be lowercase letters, digits and single hyphens", what, id)
		}
		if first, dup := firstID[id]; dup {
			l.errorf(line, "duplicate-id", "id %q is used twice (also on line %d)", id, first)
			l.errorf(first, "duplicate-id", "id %q is used twice (also on line %d)", id, line)
			return
		}
		firstID[id] = line
	}
	for _, cat := range c.Categories {
		checkID(cat.ID, cat.Line, "category")
	}
	for _, e := range c.Entities {
		checkID(e.ID, e.Line, "entity")
	}
	topicIDs := map[string]int{}
	for _, t := range c.Topics {
		if t.ID == "" {
			continue
		}
		if !validID(t.ID) {
			l.errorf(t.Line, "bad-id", "topic id %q must be lowercase letters, digits and single hyphens", t.ID)
		}
		if first, dup := topicIDs[t.ID]; dup {
			l.errorf(t.Line, "duplicate-id", "topic id %q is used twice (also on line %d)", t.ID, first)
			l.errorf(first, "duplicate-id", "topic id %q is used twice (also on line %d)", t.ID, t.Line)
		} else {
			topicIDs[t.ID] = t.Line
		}
	}

	isCategory := map[string]bool{}
	for _, cat := range c.Categories {
		isCategory[cat.ID] = true
	}
	for _, e := range c.Entities {
		if e.Kind != "" && !slices.Contains(kinds, e.Kind) {
			l.errorf(e.Line, "bad-kind", "entity %q has kind %q; want one of %s", e.ID, e.Kind, strings.Join(kinds, ", "))
		}
		if e.Category != "" && !isCategory[e.Category] {
			l.errorf(e.Line, "unknown-category", "entity %q has category %q, which is not a category", e.ID, e.Category)
		}
		if e.Parent != "" {
			p := c.ByID(e.Parent)
			switch {
			case p == nil:
				l.errorf(e.Line, "unknown-parent", "entity %q has parent %q, which is not an entity", e.ID, e.Parent)
			case p.Kind == KindCategory:
				l.errorf(e.Line, "unknown-parent", "entity %q has parent %q, which is a category; use category", e.ID, e.Parent)
			}
		}
		if e.Docs != "" {
			if u, err := url.Parse(e.Docs); err != nil || u.Scheme != "https" || u.Host == "" {
				l.errorf(e.Line, "bad-docs", "entity %q has docs %q; want an https URL", e.ID, e.Docs)
			}
		}
	}
	l.cycles(c)
	l.names(c)
	l.topicWords(c)
}

// cycles reports each parent cycle once, at the line of its first entity in
// the file, because a cycle would make Family and every page's breadcrumb
// loop.
func (l *loader) cycles(c *Catalog) {
	reported := map[string]bool{}
	for _, e := range c.Entities {
		if e.Parent == "" || reported[e.ID] {
			continue
		}
		path := []string{e.ID}
		onPath := map[string]bool{e.ID: true}
		for p := c.ByID(e.Parent); p != nil; p = c.ByID(p.Parent) {
			if onPath[p.ID] {
				if p.ID == e.ID {
					for _, id := range path {
						reported[id] = true
					}
					l.errorf(e.Line, "parent-cycle", "parent cycle: %s -> %s", strings.Join(path, " -> "), e.ID)
				}
				break
			}
			onPath[p.ID] = true
			path = append(path, p.ID)
			if p.Parent == "" {
				break
			}
		}
	}
}

// names reports a name claimed by two entities: the resolver could not
// tell which one a note means. Contextual words are exempt; sharing them is
// what context is for.
func (l *loader) names(c *Catalog) {
	type owner struct {
		id   string
		line int
		name string
	}
	first := map[string]owner{}
	for _, e := range c.AllEntities() {
		if e.ID == "" {
			continue
		}
		for _, n := range e.Names() {
			k := Key(n)
			if k == "" {
				continue
			}
			o, dup := first[k]
			switch {
			case !dup:
				first[k] = owner{e.ID, e.Line, n}
			case o.id != e.ID:
				l.errorf(e.Line, "duplicate-name", "name %q of %q is also a name of %q (line %d); make one of them contextual", n, e.ID, o.id, o.line)
			}
		}
	}
}

// topicWords reports a heading word given to two topics: the extractor
// takes the first, so the second would never apply.
func (l *loader) topicWords(c *Catalog) {
	first := map[string]string{}
	for _, t := range c.Topics {
		for _, w := range t.Words {
			var parts []string
			for _, f := range strings.Fields(w) {
				parts = append(parts, normalize(f))
			}
			k := strings.Join(parts, " ")
			if o, dup := first[k]; dup && o != t.ID {
				l.errorf(t.Line, "duplicate-topic-word", "topic word %q of %q is also a word of %q", w, t.ID, o)
				continue
			}
			first[k] = t.ID
		}
	}
}
