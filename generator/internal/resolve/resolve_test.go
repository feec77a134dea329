package resolve

import (
	"fmt"
	"reflect"
	"sync"
	"testing"
)

// testEntries is a small catalog in the shape the real one has.
var testEntries = []Entry{
	{ID: "kinesis", Names: []string{"Amazon Kinesis", "Kinesis"}},
	{ID: "kinesis-data-streams", Parent: "kinesis", Names: []string{"Amazon Kinesis Data Streams", "Kinesis Data Streams", "Kinesis Streams", "KDS"}, Contextual: []string{"Streams", "Data Streams"}},
	{ID: "kinesis-data-firehose", Parent: "kinesis", Names: []string{"Amazon Data Firehose", "Kinesis Data Firehose", "Kinesis Firehose", "Firehose", "KDF"}},
	{ID: "kinesis-data-analytics", Parent: "kinesis", Names: []string{"Amazon Managed Service for Apache Flink", "Kinesis Data Analytics", "Kinesis Analytics", "KDA"}},
	{ID: "sqs", Names: []string{"Amazon Simple Queue Service", "SQS"}, Contextual: []string{"SQL"}},
	{ID: "opensearch", Names: []string{"Amazon OpenSearch Service", "OpenSearch", "Elasticsearch", "Elastic Search", "ES"}},
	{ID: "s3", Names: []string{"Amazon S3", "S3", "Simple Storage Service"}},
	{ID: "storage-gateway", Names: []string{"AWS Storage Gateway", "Storage Gateway"}},
	{ID: "s3-file-gateway", Parent: "storage-gateway", Names: []string{"S3 File Gateway", "Amazon S3 File Gateway"}},
	{ID: "emr", Names: []string{"Amazon EMR", "EMR", "Elastic MapReduce"}},
	{ID: "s3distcp", Parent: "emr", Names: []string{"S3DistCp", "S3 DistCp"}},
	{ID: "glue", Names: []string{"AWS Glue", "Glue"}},
	{ID: "glue-elastic-views", Parent: "glue", Names: []string{"Glue Elastic Views"}},
	{ID: "dynamodb", Names: []string{"Amazon DynamoDB", "DynamoDB", "Dynamo DB"}},
	{ID: "lambda", Names: []string{"AWS Lambda", "Lambda"}},
	{ID: "spark", Names: []string{"Apache Spark", "Spark"}},
	{ID: "hive", Names: []string{"Apache Hive", "Hive"}},
	{ID: "dms", Names: []string{"AWS Database Migration Service", "Database Migration Service", "DMS"}},
	{ID: "kpl", Parent: "kinesis-data-streams", Names: []string{"Kinesis Producer Library", "KPL"}},
}

func TestFind(t *testing.T) {
	r := New(testEntries)
	tests := []struct {
		text string
		ctx  []string
		want []string // "surface=entity"
	}{
		{"Kinesis Data Firehose", nil, []string{"Kinesis Data Firehose=kinesis-data-firehose"}},
		{"Amazon Kinesis Streams are great", nil, []string{"Amazon Kinesis Streams=kinesis-data-streams"}},
		{"Kinesis Data Stream vs Fireshose", nil, []string{"Kinesis Data Stream=kinesis-data-streams", "Fireshose=kinesis-data-firehose"}},
		{"Kines Data STream", nil, []string{"Kines Data STream=kinesis-data-streams"}},
		{"load into redshift / s3 / elatsit search / splukn", nil, []string{"s3=s3", "elatsit search=opensearch"}},
		{"Amazone Kines Analystic", nil, []string{"Amazone Kines Analystic=kinesis-data-analytics"}},
		{"Kinesis firehouse", nil, []string{"Kinesis firehouse=kinesis-data-firehose"}},
		{"the firehouse down the road", nil, nil},
		{"S3 File Gateway caches data", nil, []string{"S3 File Gateway=s3-file-gateway"}},
		{"S3DistCP copies files", nil, []string{"S3DistCP=s3distcp"}},
		{"Glue Elastic Views", nil, []string{"Glue Elastic Views=glue-elastic-views"}},
		{"Streams are divided in shards", nil, nil},
		{"Streams are divided in shards", []string{"kinesis"}, []string{"Streams=kinesis-data-streams"}},
		{"SQL Extended Client", []string{"sqs"}, []string{"SQL=sqs"}},
		{"Run SQL queries", []string{"kinesis-data-analytics"}, nil},
		{"IAM policy must allow usage of SQL", []string{"sqs"}, []string{"SQL=sqs"}},
		{"I have a spare hive", nil, []string{"hive=hive"}},
		{"we have data", nil, nil},
		{"Amazzon dyanmod is used for checkpoints", nil, []string{"Amazzon dyanmod=dynamodb"}},
		{"AWS Lambada", nil, []string{"AWS Lambada=lambda"}},
		{"Elasticsearch Service's domains", nil, []string{"Elasticsearch=opensearch"}},
		{"Data Streams Kinesis", nil, []string{"Data Streams Kinesis=kinesis-data-streams"}},
		// A five-letter name alone: two letters swapped, and nothing else.
		{"Sprak jobs", nil, []string{"Sprak=spark"}},
		{"Spaek jobs", nil, nil},
		{"Spak jobs", nil, nil},
		// A misspelt contextual name counts in its context only.
		{"Sterams are divided in shards", []string{"kinesis"}, []string{"Sterams=kinesis-data-streams"}},
		{"Sterams are divided in shards", nil, nil},
	}
	for _, tt := range tests {
		got := r.Find(tt.text, Context{Entities: tt.ctx})
		var gs []string
		for _, m := range got {
			gs = append(gs, m.Text+"="+m.Entity)
		}
		if !equal(gs, tt.want) {
			t.Errorf("Find(%q, %v) = %q, want %q", tt.text, tt.ctx, gs, tt.want)
		}
	}
}

func TestDefinedAbbrevs(t *testing.T) {
	r := New(testEntries)
	tests := []struct {
		text string
		want map[string]string
	}{
		{"Kinesis Data Firehose (KDF) loads data", map[string]string{"kdf": "kinesis-data-firehose"}},
		{"DMS - Database Migration Services", map[string]string{"dms": "dms"}},
		{"Kinesis Producer Library (KPL)", map[string]string{"kpl": "kpl"}},
		{"Glue (serverless)", map[string]string{}},
	}
	for _, tt := range tests {
		got := r.DefinedAbbrevs(tt.text, Context{})
		if len(got) != len(tt.want) {
			t.Errorf("DefinedAbbrevs(%q) = %v, want %v", tt.text, got, tt.want)
			continue
		}
		for k, v := range tt.want {
			if got[k] != v {
				t.Errorf("DefinedAbbrevs(%q)[%q] = %q, want %q", tt.text, k, got[k], v)
			}
		}
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestFindConcurrent runs the same texts from several goroutines on one
// Resolver, whose cache of words is shared: every answer must be the one a
// fresh Resolver gives, whatever the order the words were first met in.
func TestFindConcurrent(t *testing.T) {
	texts := []string{
		"Kinesis Data Stream vs Fireshose", "the firehouse down the road", "Kinesis firehouse",
		"Amazzon dyanmod is used for checkpoints", "Sprak jobs", "Spaek jobs", "AWS Lambada",
		"load into redshift / s3 / elatsit search / splukn", "Kines Data STream",
	}
	want := make([][]Match, len(texts))
	for i, text := range texts {
		want[i] = New(testEntries).Find(text, Context{})
	}
	r := New(testEntries)
	var wg sync.WaitGroup
	errs := make(chan string, 8*len(texts))
	for g := range 8 {
		wg.Go(func() {
			for k := range texts {
				i := (k + g) % len(texts)
				if got := r.Find(texts[i], Context{}); !reflect.DeepEqual(got, want[i]) {
					errs <- fmt.Sprintf("Find(%q) = %v, want %v", texts[i], got, want[i])
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// BenchmarkFind resolves a line of a typical note, typos and all.
func BenchmarkFind(b *testing.B) {
	r := New(testEntries)
	text := "Amazone Kines Analystic reads from Kinesis Data Stream and writes to s3 or elatsit search; the firehouse buffers records"
	b.ReportAllocs()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		r.Find(text, Context{})
	}
}
