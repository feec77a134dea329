package generator

import (
	"errors"
	"io/fs"

	"github.com/gen-site/gen/generator/internal/catalog"
	"github.com/gen-site/gen/generator/internal/diag"
	"github.com/gen-site/gen/generator/internal/graph"
	"github.com/gen-site/gen/generator/internal/resolve"
)

// CatalogPath is where the entity catalog lives in a content folder.
const CatalogPath = "catalog.yaml"

// loadKnowledge reads the entity catalog of the content folder. A site
// without one still builds: its graph has notes and sections but no
// entities. A catalog with errors fails the build with their lines.
func loadKnowledge(fsys fs.FS) (*graph.Knowledge, diag.List) {
	data, err := fs.ReadFile(fsys, CatalogPath)
	return knowledgeOf(data, err)
}

// knowledgeOf is loadKnowledge of the catalog's bytes as read, and the
// error of reading them: a Builder keys what it keeps by the bytes it
// read, which must be those the knowledge is made of.
func knowledgeOf(data []byte, err error) (*graph.Knowledge, diag.List) {
	var diags diag.List
	if errors.Is(err, fs.ErrNotExist) {
		return graph.NewKnowledge(nil, resolve.New(nil), nil), nil
	}
	if err != nil {
		diags.Errorf(CatalogPath, 0, "catalog", "cannot read: %v", err)
		return graph.NewKnowledge(nil, resolve.New(nil), nil), diags
	}
	cat, cdiags := catalog.Load(data, CatalogPath)
	diags = append(diags, cdiags...)
	if cat == nil {
		return graph.NewKnowledge(nil, resolve.New(nil), nil), diags
	}
	var ents []graph.Entity
	var entries []resolve.Entry
	for _, e := range cat.AllEntities() {
		ents = append(ents, graph.Entity{ID: e.ID, Name: e.Name, Kind: e.Kind, Category: e.Category, Parent: e.Parent,
			Aliases: e.Aliases, Formerly: e.Formerly, Summary: e.Summary, Docs: e.Docs})
		// Category names ("Storage", "Security") are ordinary words in
		// running text; the graph matches them only as whole headings.
		if e.Kind == catalog.KindCategory {
			continue
		}
		entries = append(entries, resolve.Entry{ID: e.ID, Parent: e.Parent, Names: e.Names(), Contextual: e.Contextual})
	}
	var topics []graph.Topic
	for _, t := range cat.Topics {
		topics = append(topics, graph.Topic{ID: t.ID, Name: t.Name, Words: t.Words})
	}
	return graph.NewKnowledge(ents, resolve.New(entries), topics), diags
}
