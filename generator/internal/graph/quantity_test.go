package graph

import (
	"fmt"
	"testing"
)

func TestQuantities(t *testing.T) {
	tests := []struct {
		text string
		want string
	}{
		{"Data retention is 24 hours by default, can go up to 365 days", "[retention (default)=24 hours retention (max)=365 days]"},
		{"Data Retention › Up to 7 days", "[retention (max)=7 days]"},
		{"Data Retention › 24 hours by default", "[retention (default)=24 hours]"},
		{"data storegae for 1 to 7 days", "[retention (max)=7 days]"},
		{"Retention between 24 hours up to 365 days", "[retention (min)=24 hours retention (max)=365 days]"},
		{"1 MB/s or 1000 messages/s at write per shard", "[throughput=1 MB/s throughput=1000/s]"},
		{"Each shard gets 1MB/s in (or 1000 records per second)", "[throughput=1 MB/s throughput=1000/s]"},
		{"Max Item size is 400 Kb", "[size (max)=400 KB]"},
		{"Maximum size of an item is 400KB", "[size (max)=400 KB]"},
		{"Latency ~200 ms", "[latency=200 ms]"},
		{"EMR Version 5.23.0+", "[]"},
		{"Default retention of messages: 4 days, maximum of 14 days", "[retention (default)=4 days retention (max)=14 days]"},
	}
	for _, tt := range tests {
		got := fmt.Sprint(Quantities(tt.text))
		if got != tt.want {
			t.Errorf("Quantities(%q) = %s, want %s", tt.text, got, tt.want)
		}
	}
}
