package graph

import (
	"slices"
	"strconv"
	"testing"
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
	}
	for _, tt := range tests {
		wa, na := factWords(tt.a)
		wb, nb := factWords(tt.b)
		if got := sameFact(newFactKey(wa, na), newFactKey(wb, nb)); got != tt.want {
			t.Errorf("sameFact(%q, %q) = %v, want %v (words %v %v, numbers %v %v)", tt.a, tt.b, got, tt.want, wa, wb, na, nb)
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
