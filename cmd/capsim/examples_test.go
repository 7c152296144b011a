package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

const examplesDir = "../../scenarios/examples"

// exampleBound caps each example's simulated time in the tests: enough to
// start, scale and write every report, short enough that the suite stays
// quick on two cores. The full runs are a `capsim run` away.
const exampleBound = 20 * time.Minute

var topLevelDuration = regexp.MustCompile(`(?m)^duration:[ \t]*([^ \t#\n]+).*$`)

// examplesCopy makes a folder with a copy of the examples' data folder, so
// that the relative trace paths of copies written into it still resolve.
func examplesCopy(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "data"), os.DirFS(filepath.Join(examplesDir, "data"))); err != nil {
		t.Fatal(err)
	}
	return dir
}

// boundedCopy writes example into dir (made by examplesCopy) with its
// duration capped at bound; a trace replay without a duration gets one.
func boundedCopy(t *testing.T, example, dir string, bound time.Duration) string {
	t.Helper()
	b, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	if m := topLevelDuration.FindStringSubmatch(src); m != nil {
		d, err := time.ParseDuration(m[1])
		if err != nil {
			t.Fatalf("%s: duration %q: %v", example, m[1], err)
		}
		if d > bound {
			src = topLevelDuration.ReplaceAllString(src, "duration: "+bound.String())
		}
	} else {
		src += "\nduration: " + bound.String() + "\n"
	}
	p := filepath.Join(dir, filepath.Base(example))
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestExamples: `capsim lint scenarios/examples/*.yaml` is clean, and every
// example runs through the CLI (its variants through compare), so that none
// can rot: a renamed key, a moved trace or a broken variant fails here.
func TestExamples(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(examplesDir, "*.yaml"))
	if err != nil || len(files) < 7 {
		t.Fatalf("examples: %v, %v", files, err)
	}
	code, out, errs := capsim(t, append([]string{"lint"}, files...)...)
	if code != 0 || errs != "" {
		t.Fatalf("lint: exit %d\n%s%s", code, out, errs)
	}
	for _, f := range files {
		if !strings.Contains(out, f+": ok\n") {
			t.Errorf("lint does not say %s is ok:\n%s", f, out)
		}
	}
	dir := examplesCopy(t)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			p := boundedCopy(t, f, dir, exampleBound)
			out := t.TempDir()
			if code, _, errs := capsim(t, "run", "--quiet", "--out", out, p); code != 0 {
				t.Fatalf("run: exit %d: %s", code, errs)
			}
			for _, name := range []string{"result.json", "timeseries.csv", "report.html"} {
				if st, err := os.Stat(filepath.Join(out, name)); err != nil || st.Size() == 0 {
					t.Errorf("run wrote no %s: %v", name, err)
				}
			}
			b, _ := os.ReadFile(f)
			if !regexp.MustCompile(`(?m)^variants:`).Match(b) {
				return
			}
			if code, _, errs := capsim(t, "compare", "--quiet", "--out", t.TempDir(), p); code != 0 {
				t.Fatalf("compare: exit %d: %s", code, errs)
			}
		})
	}
}

// TestNASARateExample holds nasa-rate.yaml to what its comments say: the
// base scenario misses its SLO because target tracking scales 9 → 2 on a
// three-minute lull at 16:43 UTC, and both variants meet it. The hour
// around the lull stands in for the whole day (which behaves the same and
// takes several seconds).
func TestNASARateExample(t *testing.T) {
	dir := examplesCopy(t)
	p := boundedCopy(t, filepath.Join(examplesDir, "nasa-rate.yaml"), dir, time.Hour)
	b, _ := os.ReadFile(p)
	src := strings.Replace(string(b), "\nstart: 1995-07-13T04:00:00Z", "\nstart: 1995-07-13T16:00:00Z", 1)
	if src == string(b) {
		t.Fatal("nasa-rate.yaml no longer starts at 1995-07-13T04:00:00Z: update this test with it")
	}
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	js := filepath.Join(dir, "compare.json")
	if code, _, errs := capsim(t, "compare", "--json", js, p); code != 0 {
		t.Fatalf("compare: exit %d: %s", code, errs)
	}
	var doc struct {
		Runs []struct {
			Name    string
			Summary struct {
				SLO struct{ Met bool }
			}
			ScalingActivities []struct {
				Time     time.Time
				From, To int
			} `json:"scaling_activities"`
		}
	}
	if b, err := os.ReadFile(js); err != nil || json.Unmarshal(b, &doc) != nil {
		t.Fatalf("compare.json: %v", err)
	}
	if len(doc.Runs) != 3 {
		t.Fatalf("%d runs, want the base and its 2 variants", len(doc.Runs))
	}
	base := doc.Runs[0]
	if base.Summary.SLO.Met {
		t.Errorf("the base scenario meets its SLO; its comments say it misses it")
	}
	dropped := false
	for _, a := range base.ScalingActivities {
		if a.Time.Equal(time.Date(1995, 7, 13, 16, 43, 0, 0, time.UTC)) && a.From == 9 && a.To == 2 {
			dropped = true
		}
	}
	if !dropped {
		t.Errorf("no scale-in 9 → 2 at 16:43 UTC, which the comments explain the miss by: %+v", base.ScalingActivities)
	}
	for _, v := range doc.Runs[1:] {
		if !v.Summary.SLO.Met {
			t.Errorf("variant %s misses the SLO; the comments say it meets it", v.Name)
		}
	}
}
