// Package generator turns a folder of raw study notes into a static site.
//
// # The pipeline
//
// Data flows one way, and every stage is a plain function of its inputs:
//
//	content/            raw notes (any format), the entity catalog, optional site config
//	   │ source         read an fs.FS; stable note ids; content hash; split front matter once
//	   ▼
//	raw note ──clean──► repaired text + a line map back to the raw bytes (never fails)
//	   │ parse          goldmark, configured once, with our extensions → AST per note
//	   ▼
//	AST ──graph──► entities, sections, mentions, facts, conflicts, comparisons, edges
//	   ├──► site     html/template (templates/) + goldmark renderer → pages in memory
//	   └──► search   Bleve index of the pages → client index files
//	   ▼
//	output              the only stage that writes: a whole-folder swap, or the
//	                    in-memory file set that serve serves
//
// Build runs everything up to output and returns the files in memory with
// every diagnostic; Write is the output stage. A build whose input has
// errors returns no files, so a failed build never touches the previous
// output. Clean, parse and graph extraction run as one pass over each
// note, on every core, which also reads the note's search documents, its
// repairs and what other pages show of it; the note's tree then goes, and
// its page parses it again, so that no build holds every note's tree.
//
// # Packages
//
//	cmd/gen                     flags → Options; prints diagnostics; exit status. No logic.
//	generator                   Options, Build, Write, CheckOutput: the front door.
//	generator/serve             the preview server: watches the site, rebuilds with a
//	                            Builder, serves from memory, live reload over SSE.
//	generator/internal/diag     Diagnostic{Path, Line, Severity, Rule, Msg}; sorted lists.
//	generator/internal/source   notes from an fs.FS: ids, hashes, front matter.
//	generator/internal/clean    byte- and line-level repair with a map back to raw lines.
//	generator/internal/parse    the goldmark set-up; headings, plain text, offsets.
//	generator/internal/parse/mdext  the lenient syntax of real notes as goldmark
//	                            extensions: block parsers and transformers.
//	generator/internal/catalog  the entity catalog (content/catalog.yaml): load and validate.
//	generator/internal/resolve  names in text → entities: aliases, word order, context,
//	                            note-defined abbreviations, bounded misspellings.
//	generator/internal/graph    Extract (one note + the catalog → sections, mentions,
//	                            facts, quantities) and Merge/Merger (facts with every
//	                            source, conflicts, comparisons, edges); the JSON of gen graph.
//	generator/internal/site     pages from templates; URLs; sitemap; hashed assets;
//	                            Renderer re-renders only pages whose inputs changed.
//	generator/internal/minify   the site's JavaScript and CSS minified with esbuild.
//	generator/internal/layout   the graph drawings' force layout, computed at build time.
//	generator/internal/search   the Bleve index of pages and sections and its export
//	                            to script-loaded shards that assets/search/search.js ranks.
//	generator/internal/par      ForEach: a stage's independent steps (one per note,
//	                            page or entity) on every core, results kept in order.
//	generator/internal/output   File; the atomic folder swap; output safety checks.
//	generator/internal/overlay  a site's templates/ and assets/ over the embedded ones.
//	generator/internal/htmltest selector-style checks of built pages, for tests.
//
// Imports run one way along the pipeline. cmd/gen cannot import
// generator/internal/..., so the command stays thin by construction.
//
// # Rebuilds
//
// A Builder (gen serve keeps one) builds again after a change and redoes
// only what depends on it: each note's clean, parse and extract are kept
// by the hash of its bytes (an extract depends on its note and the catalog
// alone, so a catalog change extracts every note again); the graph is
// merged again from the kept extracts (a graph.Merger finds the notes whose
// extracts changed, merges again only the entities those notes state facts
// about, keeps each note's edges and tables apart so that it can take them
// out and put them back, and reports what changed as a Delta); and
// site.Renderer, told the Delta, hashes again only what it names and makes
// again only the pages whose key (a hash of what the page is made of)
// changed, or whose linked entities' previews changed. Tests count this work
// (builder_test.go), not only the output, and check that the result is
// byte for byte what Build makes.
//
// # Invariants
//
//   - Provenance: a note's bytes are never changed; every line of cleaned
//     text maps to a raw line, and every location shown or exported is a
//     raw line.
//   - No globals: options and parsers are values passed down the pipeline.
//   - Bad input never panics: it becomes a Diagnostic naming the file and,
//     where there is one, the line.
//   - URLs: every page links to every other relatively, so one build works at
//     a site root, under a sub-path and from file://. Pages are flat .html
//     files (notes/x.html), not folders, which costs one directory per
//     section of the site instead of one per page.
package generator
