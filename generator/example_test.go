package generator_test

import (
	"context"
	"fmt"
	"log"
	"strings"
	"testing/fstest"

	"github.com/gen-site/gen/generator"
)

func ExampleBuild() {
	// Content may be any file system: a folder on disk, an embedded one, or
	// a map in memory as here.
	content := fstest.MapFS{
		"notes/kinesis.md": {Data: []byte("# Kinesis\n\nStreams hold records for [a day](s3.txt).\n")},
		"notes/s3.txt":     {Data: []byte("---\ntitle: S3 storage classes\n---\n* Standard\n* Glacier\n")},
	}
	res, err := generator.Build(context.Background(), generator.Options{Content: content, BaseURL: "https://example.org/aws/"})
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range res.Files {
		// Assets carry a content hash in their names and the search index
		// is many small files: list the pages and the files for hosts.
		if dir := strings.SplitN(f.Path, "/", 2)[0]; dir != "assets" && dir != "search" {
			fmt.Println(f.Path)
		}
	}
	fmt.Printf("%d notes, %d pages\n", res.Stats.Notes, res.Stats.Pages)
	// Nothing is on disk yet: generator.Write(dir, res.Files) writes it.

	// Output:
	// index.html
	// notes/kinesis.html
	// notes/s3.html
	// search.html
	// 404.html
	// sitemap.xml
	// robots.txt
	// _redirects
	// 2 notes, 5 pages
}
