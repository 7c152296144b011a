package reports

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestWriteTracePlot(t *testing.T) {
	var b bytes.Buffer
	start := time.Date(1995, 8, 1, 6, 0, 0, 0, time.UTC)
	if err := WriteTracePlot(&b, `<script>alert("x")</script> per 1m`, start, time.Minute, []float64{0, 5, 10}); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	if strings.Contains(s, "<script>") || !strings.Contains(s, "&lt;script&gt;") {
		t.Error("the title is not escaped")
	}
	// Three points from the left edge (50) to the right (950), 10 at the top (50).
	if !strings.Contains(s, `points="50.0,270.0 500.0,160.0 950.0,50.0 "`) {
		t.Errorf("polyline: %s", s)
	}
	if !strings.Contains(s, "1995-08-01T06:00:00Z") || !strings.Contains(s, "1995-08-01T06:03:00Z") {
		t.Error("axis times missing")
	}
}
