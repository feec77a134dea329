package catalog

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

// valid is a small, correct catalog that the rule tests break one line at
// a time. Its lines are numbered in the comments the tests rely on.
const valid = `categories:
  - id: collection
    name: Collection
    summary: Getting data in.
entities:
  - id: kinesis
    name: Amazon Kinesis
    kind: service
    category: collection
    aliases: [Kinesis]
    summary: Streams.
    docs: https://docs.aws.amazon.com/kinesis/
  - id: kinesis-data-streams
    name: Amazon Kinesis Data Streams
    kind: service
    category: collection
    parent: kinesis
    aliases: [KDS, Kinesis Streams]
    contextual: [Streams]
    summary: Shards.
    docs: https://docs.aws.amazon.com/streams/latest/dev/introduction.html
topics:
  - id: limits
    name: Limits
    words: [limits, quotas]
`

func TestLoadValid(t *testing.T) {
	c, diags := Load([]byte(valid), "catalog.yaml")
	if len(diags) != 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	if len(c.Categories) != 1 || len(c.Entities) != 2 || len(c.Topics) != 1 {
		t.Fatalf("got %d categories, %d entities, %d topics", len(c.Categories), len(c.Entities), len(c.Topics))
	}
	kds := c.ByID("kinesis-data-streams")
	if kds == nil || kds.Line != 13 || kds.Parent != "kinesis" || !slices.Equal(kds.Contextual, []string{"Streams"}) {
		t.Fatalf("kinesis-data-streams = %+v", kds)
	}
	if cat := c.ByID("collection"); cat == nil || cat.Kind != KindCategory || cat.Line != 2 {
		t.Errorf("collection = %+v", cat)
	}
	if got := c.Children("kinesis"); len(got) != 1 || got[0].ID != "kinesis-data-streams" {
		t.Errorf("Children(kinesis) = %v", got)
	}
	if got := c.Family("kinesis-data-streams"); len(got) != 1 || got[0].ID != "kinesis" {
		t.Errorf("Family(kinesis-data-streams) = %v", got)
	}
	for _, name := range []string{"KDS", "kinesis stream", "AWS Kinesis Streams", "Amazon Kinesis Data Streams"} {
		if got := c.Lookup(name); len(got) != 1 || got[0].ID != "kinesis-data-streams" {
			t.Errorf("Lookup(%q) = %v", name, got)
		}
	}
	if got := c.Lookup("Streams"); len(got) != 0 {
		t.Errorf("Lookup(Streams) = %v, want none: contextual names need a context", got)
	}
	if all := c.AllEntities(); len(all) != 3 || all[0].ID != "collection" {
		t.Errorf("AllEntities = %v", all)
	}
}

// TestLoadRules breaks one rule at a time and checks the rule, line and
// message of every diagnostic.
func TestLoadRules(t *testing.T) {
	tests := []struct {
		name string
		edit func(string) string
		want []string // "line rule substring"
	}{
		{"invalid yaml",
			func(s string) string {
				return strings.Replace(s, "    kind: service\n    category: collection\n    parent", "    kind: service\n   category: [\n    parent", 1)
			},
			[]string{"1? yaml invalid YAML"}},
		{"not a mapping", func(string) string { return "- a\n- b\n" }, []string{"1 catalog-shape must be a mapping"}},
		{"empty file", func(string) string { return "" }, []string{"0 catalog-empty empty"}},
		{"unknown top-level key",
			func(s string) string { return s + "entites: []\n" },
			[]string{"26 unknown-key unknown key \"entites\""}},
		{"missing list",
			func(s string) string { return s[:strings.Index(s, "topics:")] },
			[]string{"1 missing-key no \"topics\" list"}},
		{"unknown entity key",
			func(s string) string { return strings.Replace(s, "    aliases: [KDS", "    alias: [KDS", 1) },
			[]string{"18 unknown-key unknown key \"alias\" in an entity"}},
		{"repeated key",
			func(s string) string {
				return strings.Replace(s, "    parent: kinesis\n", "    parent: kinesis\n    parent: kinesis\n", 1)
			},
			[]string{"18 duplicate-key key \"parent\" repeated (first on line 17)"}},
		{"missing id, name, kind and category",
			func(s string) string {
				return strings.Replace(s, "  - id: kinesis\n    name: Amazon Kinesis\n    kind: service\n    category: collection\n", "  - parent: \"\"\n", 1)
			},
			[]string{"6 missing-category entity has no category", "6 missing-id entity has no id", "6 missing-kind entity has no kind", "6 missing-name entity has no name",
				"10 unknown-parent parent \"kinesis\", which is not an entity"}},
		{"missing category summary",
			func(s string) string { return strings.Replace(s, "    summary: Getting data in.\n", "", 1) },
			[]string{"2 missing-summary category \"collection\" has no summary"}},
		{"missing entity summary and docs warn",
			func(s string) string {
				return strings.Replace(s, "    summary: Streams.\n    docs: https://docs.aws.amazon.com/kinesis/\n", "", 1)
			},
			[]string{"6 missing-docs warning: entity \"kinesis\" has no docs", "6 missing-summary warning: entity \"kinesis\" has no summary"}},
		{"bad id",
			func(s string) string {
				return strings.Replace(s, "id: kinesis-data-streams", "id: Kinesis_Data--Streams", 1)
			},
			[]string{"13 bad-id entity id \"Kinesis_Data--Streams\""}},
		{"trailing hyphen id",
			func(s string) string { return strings.Replace(s, "id: kinesis-data-streams", "id: kds-", 1) },
			[]string{"13 bad-id entity id \"kds-\""}},
		{"duplicate id reports both lines",
			func(s string) string { return strings.Replace(s, "id: kinesis-data-streams", "id: kinesis", 1) },
			[]string{"6 duplicate-id id \"kinesis\" is used twice (also on line 13)", "13 duplicate-id id \"kinesis\" is used twice (also on line 6)",
				"13 parent-cycle"}},
		{"entity id equal to a category id",
			func(s string) string { return strings.Replace(s, "id: kinesis-data-streams", "id: collection", 1) },
			[]string{"2 duplicate-id also on line 13", "13 duplicate-id also on line 2"}},
		{"dangling parent",
			func(s string) string { return strings.Replace(s, "parent: kinesis", "parent: kinesiss", 1) },
			[]string{"13 unknown-parent parent \"kinesiss\", which is not an entity"}},
		{"parent is a category",
			func(s string) string { return strings.Replace(s, "parent: kinesis", "parent: collection", 1) },
			[]string{"13 unknown-parent which is a category"}},
		{"dangling category",
			func(s string) string {
				return strings.Replace(s, "    category: collection\n    parent", "    category: colection\n    parent", 1)
			},
			[]string{"13 unknown-category category \"colection\", which is not a category"}},
		{"category that is an entity",
			func(s string) string {
				return strings.Replace(s, "    category: collection\n    parent", "    category: kinesis\n    parent", 1)
			},
			[]string{"13 unknown-category category \"kinesis\""}},
		{"parent cycle",
			func(s string) string {
				return strings.Replace(s, "    category: collection\n    aliases: [Kinesis]", "    category: collection\n    parent: kinesis-data-streams\n    aliases: [Kinesis]", 1)
			},
			[]string{"6 parent-cycle parent cycle: kinesis -> kinesis-data-streams -> kinesis"}},
		{"self parent",
			func(s string) string { return strings.Replace(s, "parent: kinesis", "parent: kinesis-data-streams", 1) },
			[]string{"13 parent-cycle parent cycle: kinesis-data-streams -> kinesis-data-streams"}},
		{"alias of two entities",
			func(s string) string {
				return strings.Replace(s, "aliases: [KDS, Kinesis Streams]", "aliases: [KDS, AWS Kinesis]", 1)
			},
			[]string{"13 duplicate-name name \"AWS Kinesis\" of \"kinesis-data-streams\" is also a name of \"kinesis\" (line 6)"}},
		{"alias equal to a category name",
			func(s string) string {
				return strings.Replace(s, "aliases: [KDS, Kinesis Streams]", "aliases: [KDS, Collections]", 1)
			},
			[]string{"13 duplicate-name name \"Collections\" of \"kinesis-data-streams\" is also a name of \"collection\" (line 2)"}},
		{"contextual word may repeat another's name",
			func(s string) string {
				return strings.Replace(s, "contextual: [Streams]", "contextual: [Streams, Kinesis]", 1)
			},
			nil},
		{"bad kind",
			func(s string) string {
				return strings.Replace(s, "    kind: service\n    category: collection\n    parent", "    kind: feature\n    category: collection\n    parent", 1)
			},
			[]string{"13 bad-kind kind \"feature\"; want one of service, system, concept"}},
		{"category kind is not written",
			func(s string) string {
				return strings.Replace(s, "    kind: service\n    category: collection\n    parent", "    kind: category\n    category: collection\n    parent", 1)
			},
			[]string{"13 bad-kind kind \"category\""}},
		{"docs not https",
			func(s string) string {
				return strings.Replace(s, "docs: https://docs.aws.amazon.com/kinesis/", "docs: http://docs.aws.amazon.com/kinesis/", 1)
			},
			[]string{"6 bad-docs want an https URL"}},
		{"docs not a URL",
			func(s string) string {
				return strings.Replace(s, "docs: https://docs.aws.amazon.com/kinesis/", "docs: see the AWS site", 1)
			},
			[]string{"6 bad-docs want an https URL"}},
		{"list where a value belongs",
			func(s string) string {
				return strings.Replace(s, "name: Amazon Kinesis\n", "name: [Amazon, Kinesis]\n", 1)
			},
			[]string{"6 missing-name entity \"kinesis\" has no name", "7 bad-type name must be a single value"}},
		{"value where a list belongs",
			func(s string) string { return strings.Replace(s, "aliases: [Kinesis]", "aliases: Kinesis", 1) },
			[]string{"10 bad-type aliases must be a list"}},
		{"empty alias",
			func(s string) string {
				return strings.Replace(s, "aliases: [Kinesis]", "aliases: [Kinesis, \"--\"]", 1)
			},
			[]string{"10 empty-name aliases has an empty name"}},
		{"entity that is not a mapping",
			func(s string) string { return strings.Replace(s, "entities:\n", "entities:\n  - just a name\n", 1) },
			[]string{"6 bad-type each item of entities must be a mapping"}},
		{"topic word of two topics",
			func(s string) string { return s + "  - id: pricing\n    name: Pricing\n    words: [costs, Quota]\n" },
			[]string{"26 duplicate-topic-word topic word \"Quota\" of \"pricing\" is also a word of \"limits\""}},
		{"duplicate topic id",
			func(s string) string { return s + "  - id: limits\n    name: Quotas\n    words: [caps]\n" },
			[]string{"23 duplicate-id topic id \"limits\" is used twice (also on line 26)", "26 duplicate-id topic id \"limits\" is used twice (also on line 23)"}},
		{"topic without words",
			func(s string) string { return strings.Replace(s, "    words: [limits, quotas]\n", "", 1) },
			[]string{"23 missing-words topic \"limits\" has no words"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := Load([]byte(tt.edit(valid)), "catalog.yaml")
			var got []string
			for _, d := range diags {
				if d.Path != "catalog.yaml" {
					t.Errorf("diagnostic path %q", d.Path)
				}
				got = append(got, fmt.Sprintf("%d %s %s%s", d.Line, d.Rule, prefix(d.Severity.String()), d.Msg))
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d diagnostics, want %d:\n%s", len(got), len(tt.want), strings.Join(got, "\n"))
			}
			for i, w := range tt.want {
				if !matches(got[i], w) {
					t.Errorf("diagnostic %d = %q, want %q", i, got[i], w)
				}
			}
		})
	}
}

func prefix(sev string) string {
	if sev == "warning" {
		return "warning: "
	}
	return ""
}

// matches reports whether got ("line rule message") has want's line (a
// trailing "?" accepts any line, for parser messages), rule, and every
// word of want's message text in order.
func matches(got, want string) bool {
	wf := strings.SplitN(want, " ", 3)
	gf := strings.SplitN(got, " ", 3)
	if len(gf) < 3 || len(wf) < 2 {
		return false
	}
	if !(wf[0] == gf[0] || strings.HasSuffix(wf[0], "?") && gf[0] != "0") || wf[1] != gf[1] {
		return false
	}
	if len(wf) == 2 {
		return true
	}
	rest := gf[2]
	for _, part := range strings.Split(wf[2], " ") {
		i := strings.Index(rest, part)
		if i < 0 {
			return false
		}
		rest = rest[i+len(part):]
	}
	return true
}

func TestLoadYAMLErrorLine(t *testing.T) {
	_, diags := Load([]byte("categories:\n  - id: a\n    name: [unclosed\nentities: []\n"), "c.yaml")
	if len(diags) != 1 || diags[0].Rule != "yaml" || diags[0].Line == 0 {
		t.Fatalf("diagnostics = %v", diags)
	}
}

// bundled loads the real catalog from the content folder.
func bundled(t testing.TB) *Catalog {
	t.Helper()
	data, err := os.ReadFile("../../../content/catalog.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c, diags := Load(data, "catalog.yaml")
	for _, d := range diags {
		t.Errorf("%s", d)
	}
	return c
}

func TestBundledCatalog(t *testing.T) {
	c := bundled(t)
	if len(c.Entities) < 200 {
		t.Errorf("only %d entities", len(c.Entities))
	}
	for _, want := range []string{"collection", "storage", "processing", "analysis", "visualization", "security", "database", "migration", "compute"} {
		if e := c.ByID(want); e == nil || e.Kind != KindCategory {
			t.Errorf("no category %q", want)
		}
	}
	for _, e := range c.AllEntities() {
		if e.Summary == "" || strings.Contains(e.Summary, "\n") {
			t.Errorf("%s (line %d): summary must be one line", e.ID, e.Line)
		}
		if e.Kind != KindCategory && !strings.HasPrefix(e.Docs, "https://") {
			t.Errorf("%s (line %d): docs %q", e.ID, e.Line, e.Docs)
		}
	}
	for _, c := range c.Categories {
		if c.Summary == "" {
			t.Errorf("category %s has no summary", c.ID)
		}
	}
	// The renamed services keep their old names, which older notes use.
	for name, id := range map[string]string{
		"Kinesis Data Firehose":            "kinesis-data-firehose",
		"Amazon Data Firehose":             "kinesis-data-firehose",
		"Kinesis Data Analytics":           "kinesis-data-analytics",
		"Managed Service for Apache Flink": "kinesis-data-analytics",
		"Elasticsearch":                    "opensearch",
		"Amazon Elasticsearch Service":     "opensearch",
		"CloudWatch Events":                "eventbridge",
		"S3 File Gateway":                  "s3-file-gateway",
		"S3DistCp":                         "s3distcp",
		"Glue Elastic Views":               "glue-elastic-views",
	} {
		if got := c.Lookup(name); len(got) != 1 || got[0].ID != id {
			t.Errorf("Lookup(%q) = %v, want %s", name, got, id)
		}
	}
}

// TestBundledIDsUnique checks the one namespace of ids: categories and
// entities are both entities of the graph and pages of the site.
func TestBundledIDsUnique(t *testing.T) {
	c := bundled(t)
	seen := map[string]string{}
	for _, e := range c.AllEntities() {
		if prev, dup := seen[e.ID]; dup {
			t.Errorf("id %q is both a %s and a %s", e.ID, prev, e.Kind)
		}
		seen[e.ID] = e.Kind
		if !validID(e.ID) {
			t.Errorf("bad id %q", e.ID)
		}
	}
}

// TestBundledFamilies checks the parents that the resolver's precision
// rules rely on.
func TestBundledFamilies(t *testing.T) {
	c := bundled(t)
	for id, parent := range map[string]string{
		"kinesis-data-streams": "kinesis", "s3-glacier": "s3", "dax": "dynamodb",
		"s3-file-gateway": "storage-gateway", "snowball-edge": "snow-family",
		"glue-data-catalog": "glue", "redshift-spectrum": "redshift", "s3distcp": "emr",
		"glue-elastic-views": "glue", "kpl": "kinesis-data-streams",
	} {
		if e := c.ByID(id); e == nil || e.Parent != parent {
			t.Errorf("%s: parent = %v, want %s", id, e, parent)
		}
	}
	fam := c.Family("s3-glacier-deep-archive")
	if len(fam) != 2 || fam[0].ID != "s3-glacier" || fam[1].ID != "s3" {
		t.Errorf("Family(s3-glacier-deep-archive) = %v", fam)
	}
}

func FuzzLoad(f *testing.F) {
	f.Add([]byte(valid))
	f.Add([]byte("categories: {}\nentities: [1, [2], {a: b}]\ntopics:\n"))
	f.Add([]byte("entities:\n  - &a {id: x, parent: x}\n  - *a\n"))
	f.Add([]byte("[\n"))
	if data, err := os.ReadFile("../../../content/catalog.yaml"); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, diags := Load(data, "f.yaml")
		for _, e := range c.AllEntities() {
			c.Family(e.ID)
			c.Children(e.ID)
			c.Lookup(e.Name)
		}
		if !diags.HasErrors() {
			for _, e := range c.AllEntities() {
				if c.ByID(e.ID) == nil {
					t.Fatalf("valid catalog lost entity %q", e.ID)
				}
			}
		}
	})
}
