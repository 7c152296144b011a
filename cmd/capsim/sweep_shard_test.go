package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/capsim/capsim/internal/s3store/s3fake"
)

// sweepExample is a six-point grid small enough to sweep many times.
const sweepExample = "testdata/sweep-small.yaml"

// oneMachineSweep runs the test grid in one process and returns its
// sweep.json and sweep.md.
func oneMachineSweep(t *testing.T, extra ...string) (js, md []byte) {
	t.Helper()
	out := t.TempDir()
	args := append(append([]string{"sweep", "--out", out}, extra...), sweepExample)
	if code, _, errs := capsim(t, args...); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, errs)
	}
	return readPair(t, out)
}

func readPair(t *testing.T, dir string) (js, md []byte) {
	t.Helper()
	js, err1 := os.ReadFile(filepath.Join(dir, "sweep.json"))
	md, err2 := os.ReadFile(filepath.Join(dir, "sweep.md"))
	if err1 != nil || err2 != nil {
		t.Fatalf("%s: %v %v", dir, err1, err2)
	}
	return js, md
}

// TestShardedSweepEqualsOneMachine: K shards merged give the one-machine
// sweep's files byte for byte, for K = 1, 2, 3, 5 and 7 on a six-point
// grid (K = 5 leaves one shard two points, the others one; K = 7 leaves
// shard 6 none), the shard files named to merge in reverse order.
func TestShardedSweepEqualsOneMachine(t *testing.T) {
	wantJS, wantMD := oneMachineSweep(t)
	if !bytes.Contains(wantJS, []byte(`"points": 6`)) {
		t.Fatalf("the test grid changed; this test expects 6 points:\n%.400s", wantJS)
	}
	for _, k := range []int{1, 2, 3, 5, 7} {
		t.Run(fmt.Sprintf("K=%d", k), func(t *testing.T) {
			shards := t.TempDir()
			var files []string
			for i := range k {
				if code, _, errs := capsim(t, "sweep", "--shard", fmt.Sprintf("%d/%d", i, k), "--out", shards, sweepExample); code != 0 {
					t.Fatalf("shard %d/%d: exit %d: %s", i, k, code, errs)
				}
				name := fmt.Sprintf("sweep-%d-of-%d.json", i, k)
				if k == 1 {
					name = "sweep.json"
				}
				files = append(files, filepath.Join(shards, name))
			}
			slices.Reverse(files)
			merged := t.TempDir()
			if code, _, errs := capsim(t, append([]string{"merge", "--out", merged}, files...)...); code != 0 {
				t.Fatalf("merge: exit %d: %s", code, errs)
			}
			js, md := readPair(t, merged)
			if !bytes.Equal(js, wantJS) {
				t.Errorf("merged sweep.json differs from the one-machine sweep (%d vs %d bytes)", len(js), len(wantJS))
			}
			if !bytes.Equal(md, wantMD) {
				t.Errorf("merged sweep.md differs:\n%s\nwant\n%s", md, wantMD)
			}
		})
	}
}

// TestShardedFullSweepEqualsOneMachine: with --full every run's document
// rides along; merged, they come in grid order with their scenarios'
// keys in the order written.
func TestShardedFullSweepEqualsOneMachine(t *testing.T) {
	wantJS, _ := oneMachineSweep(t, "--full")
	shards := t.TempDir()
	for i := range 3 {
		if code, _, errs := capsim(t, "sweep", "--full", "--shard", fmt.Sprintf("%d/3", i), "--out", shards, sweepExample); code != 0 {
			t.Fatalf("shard %d/3: exit %d: %s", i, code, errs)
		}
	}
	merged := t.TempDir()
	files := []string{"sweep-1-of-3.json", "sweep-2-of-3.json", "sweep-0-of-3.json"}
	for i := range files {
		files[i] = filepath.Join(shards, files[i])
	}
	if code, _, errs := capsim(t, append([]string{"merge", "--out", merged}, files...)...); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, errs)
	}
	if js, _ := readPair(t, merged); !bytes.Equal(js, wantJS) {
		t.Errorf("merged --full sweep.json differs from the one-machine sweep (%d vs %d bytes)", len(js), len(wantJS))
	}
}

// TestShardedReplicatedSweepEqualsOneMachine: with --replications every
// shard runs each of its points on the same derived seeds as one machine
// does, so the merged means, intervals and the note that the rows are
// means are the one-machine sweep's, byte for byte.
func TestShardedReplicatedSweepEqualsOneMachine(t *testing.T) {
	wantJS, wantMD := oneMachineSweep(t, "--replications", "2")
	if !bytes.Contains(wantMD, []byte("Each row is the mean of 2 replications")) {
		t.Fatalf("the one-machine sweep.md does not say its rows are means:\n%s", wantMD)
	}
	shards := t.TempDir()
	var files []string
	for i := range 3 {
		if code, _, errs := capsim(t, "sweep", "--replications", "2", "--shard", fmt.Sprintf("%d/3", i), "--out", shards, sweepExample); code != 0 {
			t.Fatalf("shard %d/3: exit %d: %s", i, code, errs)
		}
		files = append(files, filepath.Join(shards, fmt.Sprintf("sweep-%d-of-3.json", i)))
	}
	merged := t.TempDir()
	if code, _, errs := capsim(t, append([]string{"merge", "--out", merged}, files...)...); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, errs)
	}
	js, md := readPair(t, merged)
	if !bytes.Equal(js, wantJS) || !bytes.Equal(md, wantMD) {
		t.Errorf("merged replicated sweep differs from the one-machine sweep (%d vs %d bytes):\n%s\nwant\n%s", len(js), len(wantJS), md, wantMD)
	}
}

// s3TestEnv gives the SDK test credentials and nothing of this machine's.
func s3TestEnv(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_REGION", "eu-west-1")
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent/config")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

// TestShardedSweepThroughS3: three shards write to an S3 prefix (an
// httptest endpoint speaking the S3 API), with transient failures on the
// way; merge lists the prefix, writes the merged files to S3 too, and they
// equal the one-machine sweep byte for byte.
func TestShardedSweepThroughS3(t *testing.T) {
	wantJS, wantMD := oneMachineSweep(t)
	s3TestEnv(t)
	fake := s3fake.New()
	defer fake.Close()
	fake.PageSize = 2 // the listing takes several pages
	prefix := "s3://capsim-test/sweeps/2026-12-01"
	// Shard 0 is named by flag, shard 1 as in a Kubernetes Indexed Job,
	// shard 2 as in an AWS Batch array job (docs/distributed.md).
	for _, v := range []string{"JOB_COMPLETION_INDEX", "CAPSIM_SHARD_COUNT", "AWS_BATCH_JOB_ARRAY_INDEX", "AWS_BATCH_JOB_ARRAY_SIZE", "CAPSIM_SHARD_INDEX"} {
		t.Setenv(v, "")
	}
	for i := range 3 {
		args := []string{"sweep", "--out", prefix, "--endpoint-url", fake.URL, sweepExample}
		switch i {
		case 0:
			args = append([]string{"sweep", "--shard", "0/3"}, args[1:]...)
		case 1:
			t.Setenv("JOB_COMPLETION_INDEX", "1")
			t.Setenv("CAPSIM_SHARD_COUNT", "3")
		case 2:
			t.Setenv("JOB_COMPLETION_INDEX", "")
			t.Setenv("CAPSIM_SHARD_COUNT", "")
			t.Setenv("AWS_BATCH_JOB_ARRAY_INDEX", "2")
			t.Setenv("AWS_BATCH_JOB_ARRAY_SIZE", "3")
		}
		fake.FailNext = 1 // every shard's first request fails once
		code, out, errs := capsim(t, args...)
		if code != 0 {
			t.Fatalf("shard %d/3: exit %d: %s", i, code, errs)
		}
		if want := fmt.Sprintf("wrote %s/sweep-%d-of-3.json", prefix, i); !strings.Contains(out, want) {
			t.Errorf("shard %d says:\n%s\nwant %q", i, out, want)
		}
	}
	puts := 0
	for _, l := range fake.Log {
		if strings.HasPrefix(l, "PUT ") {
			puts++
		}
	}
	if puts != 3*2+3 {
		t.Errorf("%d PUT requests, want 9: 2 files per shard and one retried failure each: %v", puts, fake.Log)
	}
	fake.FailNext = 0
	if code, _, errs := capsim(t, "merge", "--out", prefix+"/merged", "--endpoint-url", fake.URL, prefix); code != 0 {
		t.Fatalf("merge: exit %d: %s\nrequests: %v", code, errs, fake.Log)
	}
	js, ok1 := fake.Object("capsim-test", "sweeps/2026-12-01/merged/sweep.json")
	md, ok2 := fake.Object("capsim-test", "sweeps/2026-12-01/merged/sweep.md")
	if !ok1 || !ok2 {
		t.Fatalf("merge wrote no sweep.json/sweep.md to S3: %v", fake.Keys())
	}
	if !bytes.Equal(js, wantJS) || !bytes.Equal(md, wantMD) {
		t.Errorf("merged through S3 differs from the one-machine sweep (%d vs %d bytes)", len(js), len(wantJS))
	}
	// Shard URLs, merged into a local folder, give the same bytes.
	local := t.TempDir()
	args := []string{"merge", "--out", local, "--endpoint-url", fake.URL}
	for _, i := range []int{2, 0, 1} {
		args = append(args, fmt.Sprintf("%s/sweep-%d-of-3.json", prefix, i))
	}
	if code, _, errs := capsim(t, args...); code != 0 {
		t.Fatalf("merge of shard URLs: exit %d: %s", code, errs)
	}
	if js, _ := readPair(t, local); !bytes.Equal(js, wantJS) {
		t.Error("merge of shard URLs differs from the one-machine sweep")
	}
	// The merged files now under the prefix (in merged/) are not shards:
	// merging the prefix again reads the same three.
	again := t.TempDir()
	if code, _, errs := capsim(t, "merge", "--out", again, "--endpoint-url", fake.URL, prefix); code != 0 {
		t.Fatalf("second merge: exit %d: %s", code, errs)
	}
	if js, _ := readPair(t, again); !bytes.Equal(js, wantJS) {
		t.Error("second merge of the prefix differs from the one-machine sweep")
	}
}

// TestMergeFromS3Errors: a prefix without shards, shards of two counts and
// a missing object are the user's input (exit 2), named in the message.
func TestMergeFromS3Errors(t *testing.T) {
	s3TestEnv(t)
	fake := s3fake.New()
	defer fake.Close()
	for _, i := range []int{0, 1} {
		if code, _, errs := capsim(t, "sweep", "--shard", fmt.Sprintf("%d/2", i), "--out", "s3://b/mixed", "--endpoint-url", fake.URL, sweepExample); code != 0 {
			t.Fatalf("shard: exit %d: %s", code, errs)
		}
	}
	if code, _, errs := capsim(t, "sweep", "--shard", "0/3", "--out", "s3://b/mixed", "--endpoint-url", fake.URL, sweepExample); code != 0 {
		t.Fatalf("shard: exit %d: %s", code, errs)
	}
	for _, c := range []struct{ arg, want string }{
		{"s3://b/empty", "no shard files (sweep-I-of-K.json) under s3://b/empty"},
		{"s3://b/mixed", "different counts"},
		{"s3://b/mixed/sweep-7-of-9.json", "s3://b/mixed/sweep-7-of-9.json"},
		{"s3://b:9000/x", "want s3://bucket/prefix"},
	} {
		code, _, errs := capsim(t, "merge", "--out", t.TempDir(), "--endpoint-url", fake.URL, c.arg)
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("merge %s: exit %d, %q; want exit 2 naming %q", c.arg, code, errs, c.want)
		}
	}
}

// TestSweepToS3WithoutCredentials fails before simulating: no table is
// printed and nothing is written.
func TestSweepToS3WithoutCredentials(t *testing.T) {
	s3TestEnv(t)
	for _, v := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE"} {
		t.Setenv(v, "")
	}
	fake := s3fake.New()
	defer fake.Close()
	code, out, errs := capsim(t, "sweep", "--out", "s3://b/p", "--endpoint-url", fake.URL, sweepExample)
	if code != 1 || !strings.Contains(errs, "credentials") {
		t.Errorf("exit %d, %q; want exit 1 naming the credentials", code, errs)
	}
	if strings.Contains(out, "errors") || len(fake.Keys()) != 0 {
		t.Errorf("simulated or wrote anyway: %q, %v", out, fake.Keys())
	}
}
