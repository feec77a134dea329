package graph

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gen-site/gen/generator/internal/resolve"
)

// TestSameFact checks which statements of one entity merge into one fact,
// with pairs from the bundled notes.
func TestSameFact(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		// The same statement, worded or typed differently.
		{"1 MB/s or 1000 messages/s at write PER SHARD", "Write throughput: 1 MB/sec or 1000 records/sec per shard", true},
		{"1 MB/s or 1000 messages/s at write per shard", "1 MB/Sec Input or 1000 messages at write", true},
		{"IAM policy msust allow usage of SQL", "IAM policy must allow usage of SQS", true},
		{"Max Item size is 400 Kb", "Maximum size of an item is 400KB", true},
		{"2MB/s at read PER SHARD, PER ENCHANCED CONSUMER", "2 MB/S at read pers hare per enhance dconsumer", true},
		{"Kinesis pushes data to consumers over HTTP/2", "Enhanced Fan out: Kinesis pushes data to consumers over HTTP/2", true},
		{"Amazon S3 does not store the encryption key you provide", "Amazon S3 does not store the encryption key you provide", true},
		// A digit inside a name (S3, bzip2, dc2) is no number that two
		// statements agree on, and names differing by a letter are two names.
		{"Clients must encrypt data themselves before sending to S3", "Clients must decrypt data themselves when retrieving from S3", false},
		{"Load table partitions from S3", "Load scripts from S3", false},
		{"Loading Data from S3", "Unloading data to S3", false},
		{"dc2.8xlarge", "ds2.8xlarge", false},
		{"dc2.large", "ds2.xlarge", false},
		{"Newrelic (3rd-party)", "Datadog (3rd-party)", false},
		// A letter changed in a three-letter word makes another word.
		{"Consumes WCU", "Consumes a lot of RCU", false},
		{"Cluster mode enabled (CME)", "Cluster mode disabled (CMD)", false},
		{"Device can comunciatie with one another this wasy", "Devices can communicate with one another this way", true},
		{`Must set header: "x-amz-server-side-encryption": "AES256"`, `Must set header: "x-amz-server-side-encryption": "aws:kms"`, false},
		{"If 5 consumers application consume from the same shard, means every consumer can poll once a second and receive less than 400Kbs", "if 5 consumes application conume from the shame shard, emans every consume can ppoll once a second and recieve les than 400 KB/S", true},
		{"The large message is sent to S3, and one small metadata message to Queue", "The consumer reads from queue the small message and retrieve the large message from S3", false},

		// Statements that share their words and say opposite things with
		// them (n-003 is 003_f9dd710ae31eb546.txt, and so on; the numbers
		// are raw lines). What one moves from, the other moves to
		// (n-003:1310/1311).
		{"From S3 into HDFS", "From HDFS into S3", false},
		// A path's parts in another order (n-003:2192/2194).
		{"If so, organize your buckets as yyyy/mm/dd/device", "If so, organize your buckets as device/yyyy/mm/dd", false},
		// Negated and not (n-003:1116/1118).
		{"asynchronous - non aws sources", "asynchronous - AWs Sources", false},
		// A bound the other way (n-003:1365/1367).
		{"Clusters <= 50 Nodes", "Clusters > 50 Nodes", false},
		// One wording with one place filled by distinct words: neither a
		// misspelling, an abbreviation nor another form of the other
		// (n-000:127/133, n-004:425/430, n-003:2121/2122, 2217/2218,
		// 2362/2363, 933/935, 1951/1970, 2040/2081).
		{"AWS SDK: simple producer", "AWS SDK: simple consumer", false},
		{"Can’t split into more than two shards in a single operation", "Can’t merge more than two shards in a single operation", false},
		{"Split S3 Objects loaded by COPY", "Compress S3 objects loaded by COPY", false},
		{"JSON => optional comprehension (gzip, bzip2)", "CSV => optional comprehension (gzip, bzip2)", false},
		{"An hourly rate (billed per second) for the crawler with 10-minute minimum", "An hourly rate (billed per second) for developer endpoints with 10-minute minimum", false},
		{"Delivery to Kinesis Data Streams", "Versus Kinesis Data Streams", false},
		{"iam_role identifies role with s3 read permissions", "iam_role identifies role with S3 write permissions", false},
		{"Allows for the separation of different query workloads", "Allows for prioritization of different query workload", false},
		// A leading "a" is one letter and the opposite (after n-003:575).
		{"Lambda processes shard data synchronously", "Lambda processes shard data asynchronously", false},
		// One of two words joined by "and" or "or", and not the other
		// (n-003:912/913, 1409/1413).
		{"Optional in-flight using TLS between the brokers", "Optional in-flight with TLS between the clients and brokers", false},
		{"Task Nodes -> Spot or Instance Fleet", "Task Nodes -> Spot", false},

		// And statements that only look so: the same statement, typed or
		// worded differently, still merges. Spaces in the wrong place
		// ("pers hare" for "per shard"), a typo'd beginning of a word
		// ("Trhough") and arrows, which are no bounds.
		{"2 MB/S at read pers hare per enhance dconsumer", "2MB/s at read per shard per enhanced consumer", true},
		{"Low Trhough ==> Buffer time will hit", "Low throughput =< Buffer time will be hit", true},
		// A modal word is no content ("it's necessary" and "must"), and
		// statements that share little but numbers and units are not one
		// wording with a place filled differently ("output", "read").
		{"It's necessary create EC2 Instance to perform the replication tasks", "must create an EC2 instance to perform the replication tasks", true},
		{"2 MB/Sec Output per enhanced consumer", "2MB/s at read PER SHARD, PER ENCHANCED CONSUMER", true},
		// Negated both, in any way, with or without an apostrophe.
		{"No API calls needed (push model)", "no api call nedede (push model)", true},
		{"Once data is inserted in Kinesis, it can't be deleted (data in Kinesis is immutability)", "Once data is inserted in Kinesis, it can’t be deleted (immutability)", true},
		{"You do not need to use SCT if you are migrating the same DB engine", "You don't need to use SCT if you are migrating the same DB engine", true},
		// A bound in both; a closing bracket is no bound.
		{"Low latency (<10 ms on publish and receive>)", "Low latency (<10 ms on publish and receive)", true},
		// "From" and "to" the same way, "from" typed "form"; other words
		// in another order.
		{"Data retention from 1 minute to 14 days", "Data retation form 1 min to 14 days", true},
		{"Can write form multiple directories and write to multiple streams", "Write from multiple directories and multiple streams", true},
		{"Only in Enterprise edition", "Enterprise edition only!", true},
		{"Data Records are stored for 24 hours to 365 Days", "Data retention is 24 hours by default, can go up to 365 days", true},
		// The same words joined, misspelt.
		{"Supports the MQTT, WebSockets, and HTTP 1.1 protocols", "Support the MSQTT, WEbscokes and HTTP 1.1 protocal", true},
		{"Messages sent using the MQTT, WebSockets, or HTTP 1.1 protocols", "mesages sent using MSQTT, websocker or http 1.1", true},
	}
	for _, tt := range tests {
		wa, na := factWords(tt.a)
		wb, nb := factWords(tt.b)
		ka, kb := newFactKey(tt.a, wa, na), newFactKey(tt.b, wb, nb)
		if got := sameFact(&ka, &kb); got != tt.want {
			t.Errorf("sameFact(%q, %q) = %v, want %v (words %v %v, numbers %v %v)", tt.a, tt.b, got, tt.want, wa, wb, na, nb)
		}
	}
}

// TestMergeWrittenManyWays checks that the write limit of a Kinesis shard,
// which the bundled notes write five ways, is one fact with five sources
// however its statements are compared.
func TestMergeWrittenManyWays(t *testing.T) {
	texts := []string{
		"1 MB/s or 1000 messages/s at write PER SHARD",
		"1 MB/s or 1000 messages/s at write per shard",
		"1MB/s or 1000 messages/s at write per shard",
		"Each shard gets 1MB/s in (or 1000 records per second)",
		"Write throughput: 1 MB/sec or 1000 records/sec per shard",
	}
	k := testKnowledge()
	for shift := range texts {
		var facts []NoteFact
		for i := range texts {
			text := texts[(i+shift)%len(texts)]
			facts = append(facts, NoteFact{Entity: "kinesis-data-streams", Text: text,
				Source: Source{Note: "n-" + strconv.Itoa(i), Line: 1, Text: text}})
		}
		got := mergeFacts(facts, k)
		if len(got) != 1 || len(got[0].Sources) != len(texts) {
			var s []string
			for _, f := range got {
				s = append(s, f.Text+" ("+strconv.Itoa(len(f.Sources))+")")
			}
			t.Errorf("merged into %q, want one fact with %d sources", s, len(texts))
		}
	}
}

// TestConflictTiers checks that a note's maximum retention is the largest
// it states: a tier below it in the same note ("extended retention to 70
// days" under "stored for 24 hours to 365 days") is no side of a conflict.
func TestConflictTiers(t *testing.T) {
	k := testKnowledge()
	a := extractNote(t, "n-a", `# Kinesis Data Streams

* Data Records are stored for 24 hours to 365 Days
  * Default 24 Hours
  * Data Retention to 70 Days enabling extended data retention
  * Data Retention to 365 Days enabling long term data retention
`, k)
	b := extractNote(t, "n-b", "# Kinesis Data Streams\n\n* Data retention is 24 hours by default, can go up to 7 days\n", k)
	c := extractNote(t, "n-c", "# Kinesis Data Streams\n\n* Data retention from 1 minute to 14 days\n* Data retention from 1 hour to 14 days\n", k)
	g := Merge([]*NoteExtract{a, b, c}, k)
	var got []string
	for _, c := range g.Conflicts {
		s := c.Attribute + ":"
		for _, v := range c.Values {
			s += " " + v.Value
			for _, src := range v.Sources {
				s += " " + src.Note + ":" + strconv.Itoa(src.Line)
			}
			s += ";"
		}
		got = append(got, s)
	}
	want := []string{
		"retention (max): 7 days n-b:3; 14 days n-c:3 n-c:4; 365 days n-a:3 n-a:6;",
		"retention (min): 1 minute n-c:3; 24 hours n-a:3;",
	}
	if !slices.Equal(got, want) {
		t.Errorf("conflicts:\n got %q\nwant %q", got, want)
	}
}

// TestMergeCopiedByMany checks that a statement that hundreds of notes
// copy, among hundreds of other statements that share its words, is one
// fact with every source: a blocking key shared by more than 200 facts is
// not compared in full, which once left most copies unmerged.
func TestMergeCopiedByMany(t *testing.T) {
	k := testKnowledge()
	const copies = 450
	var facts []NoteFact
	for i := range copies {
		note := "n-" + strconv.Itoa(i)
		facts = append(facts,
			NoteFact{Entity: "kinesis-data-streams", Text: "Records are kept for 24 hours by default",
				Source: Source{Note: note, Line: 3, Text: "Records are kept for 24 hours by default"}},
			NoteFact{Entity: "kinesis-data-streams", Text: "Shard " + strconv.Itoa(i) + " keeps records in order for 24 hours",
				Source: Source{Note: note, Line: 4, Text: "a shard"}})
	}
	got := mergeFacts(facts, k)
	var kept []Fact
	for _, f := range got {
		if f.Text == "Records are kept for 24 hours by default" {
			kept = append(kept, f)
		}
	}
	if len(kept) != 1 || len(kept[0].Sources) != copies {
		var n []int
		for _, f := range kept {
			n = append(n, len(f.Sources))
		}
		t.Errorf("the copied statement is %d facts with %v sources, want one with %d", len(kept), n, copies)
	}
}

// FuzzFactWordsASCII checks that the ASCII path of factWords finds the
// words and numbers that the path over runes finds.
func FuzzFactWordsASCII(f *testing.F) {
	for _, s := range []string{"", "Retention 24 hours to 365 days", "3rd party 8xlarge 10Mbps 1.5 GB/s", "s3 ec2 dc2 bzip2 1,000,000 records", "up to 5 TB. 2. x", "msg sec shared upto"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lower := strings.ToLower(dropThousands(s))
		if !isASCII(lower) {
			return
		}
		wa, na := factWordsASCII(lower)
		wr, nr := factWordsRunes(lower)
		if !slices.Equal(wa, wr) || !slices.Equal(na, nr) {
			t.Fatalf("%q: ASCII %q %q, runes %q %q", lower, wa, na, wr, nr)
		}
	})
}

// FuzzCleanText checks cleanText's fast paths against what it does
// without them: the inline marks replaced, the spaces collapsed, the ends
// trimmed.
func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"", " a", "a  b", "**bold** and `code`", "tab\there", "ünï  code", "a b c", "x\u00a0y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := strings.Trim(strings.Join(strings.Fields(inlineMarks.Replace(s)), " "), " *_")
		if got := cleanText(s); got != want {
			t.Fatalf("cleanText(%q) = %q, want %q", s, got, want)
		}
	})
}

// FuzzTopicOfASCII checks that the ASCII path of topicOf finds the topic
// that the path over the whole text finds, with a name matched or not.
func FuzzTopicOfASCII(f *testing.F) {
	topics := map[string]string{"pricing": "pricing", "limit": "limits", "security": "security", "cross-region": "replication", "-": "dash", "shard": "scaling"}
	for _, s := range []string{"", "Pricing of Kinesis", "KINESIS limits - cross-region", "per-shard LIMITS", "a - b", "Securities"} {
		f.Add(s, uint8(0), uint8(7))
	}
	f.Fuzz(func(t *testing.T, s string, at, n uint8) {
		if !isASCII(s) {
			return
		}
		var ms []resolve.Match
		if len(s) > 0 {
			i := int(at) % len(s)
			ms = []resolve.Match{{Start: i, End: i + int(n)%(len(s)-i+1)}}
		}
		for _, m := range [][]resolve.Match{nil, ms} {
			if a, b := topicOfASCII(s, m, topics), topicOfText(s, m, topics); a != b {
				t.Fatalf("%q %v: ASCII %q, text %q", s, m, a, b)
			}
		}
	})
}

// FuzzMayHaveQuantity checks that the look for a number a quantity could
// follow never skips a text the regexp finds a quantity in.
func FuzzMayHaveQuantity(f *testing.F) {
	for _, s := range []string{"5 6 MB", "S3 stores up to 5 TB", "1,000 records/s", "EC2 and S3", "10 ms", "2x", "1.5.3 GB", "3 \u212a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if q := quantities(s); len(q) > 0 && !mayHaveQuantity(s) {
			t.Fatalf("%q: quantities %v, but mayHaveQuantity says none", s, q)
		}
	})
}

// pairwiseDisagreements is what disagreements does, pair by pair: the
// reference it is checked against.
func pairwiseDisagreements(sts []statement, retention bool) []bool {
	disagree := make([]bool, len(sts))
	for i := range sts {
		for j := i + 1; j < len(sts); j++ {
			a, b := sts[i], sts[j]
			if a.display == b.display || a.source.Note == b.source.Note {
				continue
			}
			if !retention {
				if s, _ := similarity(a.words, b.words); s < alikeWording {
					continue
				}
			}
			disagree[i], disagree[j] = true, true
		}
	}
	return disagree
}

// statementsOf decodes data as statements, three bytes each: the note,
// the value and the wording, each from a few, so that classes, notes and
// values repeat as on a busy entity.
func statementsOf(data []byte) []statement {
	wordings := [][]string{
		{"max", "record", "size"}, {"record", "size"}, {"max", "recrod", "size"},
		{"shard", "throughput"}, {"item", "size"}, {"size", "record", "max"}, nil,
		{"maximum", "size", "of", "a", "record"}, {"a", "record"}, {"b", "record"},
	}
	var sts []statement
	for i := 0; i+2 < len(data); i += 3 {
		v := int(data[i+1] % 5)
		sts = append(sts, statement{value: float64(v), display: fmt.Sprint(v, " MB"),
			source: Source{Note: fmt.Sprint("n", data[i]%4), Line: i},
			words:  wordings[int(data[i+2])%len(wordings)]})
	}
	return sts
}

func TestDisagreements(t *testing.T) {
	tests := [][]byte{
		nil,
		{0, 0, 0},
		{0, 0, 0, 1, 1, 0},                   // two notes, two values, same words
		{0, 0, 0, 0, 1, 0},                   // one note
		{0, 0, 0, 1, 1, 3},                   // words apart
		{0, 0, 7, 1, 1, 8, 2, 1, 9},          // greedy matching, both ways
		{0, 0, 1, 0, 1, 1, 1, 0, 1},          // a class of one note, the other of two
		{0, 0, 0, 0, 0, 0, 1, 0, 0, 2, 1, 2}, // a class of several members
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		data := make([]byte, 3*rng.IntN(40))
		for i := range data {
			data[i] = byte(rng.IntN(256))
		}
		tests = append(tests, data)
	}
	for _, data := range tests {
		sts := statementsOf(data)
		for _, retention := range []bool{false, true} {
			got, want := disagreements(sts, retention), pairwiseDisagreements(sts, retention)
			if !slices.Equal(got, want) {
				t.Errorf("%v, retention %v: %v, want %v", data, retention, got, want)
			}
		}
	}
}

// FuzzDisagreements checks the class by class comparison against the
// pairwise one.
func FuzzDisagreements(f *testing.F) {
	f.Add([]byte{0, 0, 7, 1, 1, 8, 2, 1, 9})
	f.Add([]byte{0, 0, 0, 0, 0, 0, 1, 0, 0, 2, 1, 2})
	f.Fuzz(func(t *testing.T, data []byte) {
		sts := statementsOf(data)
		for _, retention := range []bool{false, true} {
			if got, want := disagreements(sts, retention), pairwiseDisagreements(sts, retention); !slices.Equal(got, want) {
				t.Errorf("retention %v: %v, want %v", retention, got, want)
			}
		}
	})
}

// classifyEach is classify as it was written first: a search of the
// statement for each word of each row, in order.
func classifyEach(text string) string {
	lower := " " + strings.ToLower(text) + " "
	for _, a := range attributeWords {
		for _, w := range a.words {
			if strings.Contains(lower, w) {
				return a.attr
			}
		}
	}
	return ""
}

// FuzzClassify checks classify's one pass over a statement against a
// search for each word.
func FuzzClassify(f *testing.F) {
	for _, s := range []string{"", "Retention up to 365 days", "latency ~70 ms", "200ms) per shard", "encrypts with KMS and loads to S3",
		"Ordering is per partition; consumers replay", "x", "MS", "  ms", "Exactly-once delivery"} {
		f.Add(s)
	}
	for _, row := range attributeWords {
		for _, w := range row.words {
			f.Add("a " + w + " b")
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := classify(s), classifyEach(s); got != want {
			t.Fatalf("classify(%q) = %q, want %q", s, got, want)
		}
	})
}
