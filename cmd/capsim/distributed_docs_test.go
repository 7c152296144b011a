package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/capsim/capsim/internal/s3store/s3fake"
)

// distributedDoc is docs/distributed.md; its manifests are tested as
// written: parsed, and their capsim command lines run against an S3 API
// server, with the environment each batch system gives its containers.
const distributedDoc = "../../docs/distributed.md"

// docBlocks returns the fenced code blocks of a Markdown file in one
// language.
func docBlocks(t *testing.T, path, lang string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range regexp.MustCompile("(?s)```"+lang+"\n(.*?)```").FindAllStringSubmatch(string(b), -1) {
		out = append(out, m[1])
	}
	return out
}

// k8sJob is the part of a batch/v1 Job the test reads.
type k8sJob struct {
	Kind string `yaml:"kind"`
	Spec struct {
		CompletionMode string `yaml:"completionMode"`
		Completions    int    `yaml:"completions"`
		Template       struct {
			Spec struct {
				RestartPolicy string `yaml:"restartPolicy"`
				Containers    []struct {
					Args []string `yaml:"args"`
					Env  []struct {
						Name  string `yaml:"name"`
						Value string `yaml:"value"`
					} `yaml:"env"`
				} `yaml:"containers"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

// containerArgs expands $(VAR) in the container's args from its env, as
// Kubernetes does (dependent environment variables), and maps the image's
// /scenarios/sweep.yaml to the test's small grid.
func (j k8sJob) containerArgs(t *testing.T) ([]string, map[string]string) {
	t.Helper()
	if len(j.Spec.Template.Spec.Containers) != 1 {
		t.Fatalf("want one container: %+v", j.Spec.Template.Spec)
	}
	c := j.Spec.Template.Spec.Containers[0]
	env := map[string]string{}
	for _, e := range c.Env {
		env[e.Name] = e.Value
	}
	args := make([]string, len(c.Args))
	for i, a := range c.Args {
		args[i] = regexp.MustCompile(`\$\(([A-Z_]+)\)`).ReplaceAllStringFunc(a, func(m string) string { return env[m[2:len(m)-1]] })
		if a == "/scenarios/sweep.yaml" {
			args[i] = sweepExample
		}
	}
	return args, env
}

// clearShardEnv leaves no shard variable of this machine's.
func clearShardEnv(t *testing.T) {
	for _, v := range []string{"JOB_COMPLETION_INDEX", "CAPSIM_SHARD_COUNT", "AWS_BATCH_JOB_ARRAY_INDEX", "AWS_BATCH_JOB_ARRAY_SIZE", "CAPSIM_SHARD_INDEX"} {
		t.Setenv(v, "")
	}
}

// mergedObject reads the merged sweep.json a merge step wrote under out.
func mergedObject(t *testing.T, fake *s3fake.Server, out string) []byte {
	t.Helper()
	bucket, key, _ := strings.Cut(strings.TrimPrefix(out, "s3://"), "/")
	js, ok := fake.Object(bucket, key+"/sweep.json")
	if !ok {
		t.Fatalf("no %s/sweep.json; objects: %v", out, fake.Keys())
	}
	return js
}

// TestKubernetesManifestsRunASweep: the Indexed Job of docs/distributed.md
// runs one shard per completion index (JOB_COMPLETION_INDEX, as
// Kubernetes sets it, with the manifest's CAPSIM_SHARD_COUNT), each pod
// writing to the manifest's S3 prefix; the merge Job's args then merge the
// prefix, and the merged sweep.json is the one-machine sweep's.
func TestKubernetesManifestsRunASweep(t *testing.T) {
	wantJS, _ := oneMachineSweep(t)
	var sweep, merge *k8sJob
	for _, b := range docBlocks(t, distributedDoc, "yaml") {
		var j k8sJob
		if err := yaml.Unmarshal([]byte(b), &j); err != nil {
			t.Fatalf("a YAML block of %s does not parse: %v\n%s", distributedDoc, err, b)
		}
		if j.Kind != "Job" {
			continue
		}
		if j.Spec.CompletionMode == "Indexed" {
			sweep = &j
		} else {
			merge = &j
		}
	}
	if sweep == nil || merge == nil {
		t.Fatalf("want an Indexed Job and a merge Job in %s", distributedDoc)
	}
	if sweep.Spec.Template.Spec.RestartPolicy != "Never" && sweep.Spec.Template.Spec.RestartPolicy != "OnFailure" {
		t.Errorf("restartPolicy %q: a Job's pods need Never or OnFailure", sweep.Spec.Template.Spec.RestartPolicy)
	}
	args, env := sweep.containerArgs(t)
	if n, _ := strconv.Atoi(env["CAPSIM_SHARD_COUNT"]); n != sweep.Spec.Completions || n < 2 {
		t.Fatalf("CAPSIM_SHARD_COUNT %q, completions %d: they must be equal", env["CAPSIM_SHARD_COUNT"], sweep.Spec.Completions)
	}
	s3TestEnv(t)
	clearShardEnv(t)
	fake := s3fake.New()
	defer fake.Close()
	t.Setenv("CAPSIM_S3_ENDPOINT_URL", fake.URL)
	t.Setenv("CAPSIM_SHARD_COUNT", env["CAPSIM_SHARD_COUNT"])
	for i := range sweep.Spec.Completions {
		t.Setenv("JOB_COMPLETION_INDEX", strconv.Itoa(i))
		if code, _, errs := capsim(t, args...); code != 0 {
			t.Fatalf("pod %d: capsim %s: exit %d: %s", i, strings.Join(args, " "), code, errs)
		}
	}
	t.Setenv("JOB_COMPLETION_INDEX", "")
	margs, menv := merge.containerArgs(t)
	if code, _, errs := capsim(t, margs...); code != 0 {
		t.Fatalf("merge Job: capsim %s: exit %d: %s", strings.Join(margs, " "), code, errs)
	}
	if js := mergedObject(t, fake, menv["CAPSIM_OUT"]+"/merged"); !bytes.Equal(js, wantJS) {
		t.Errorf("the Jobs' merged sweep.json differs from the one-machine sweep (%d vs %d bytes)", len(js), len(wantJS))
	}
}

// TestBatchJobDefinitionRunsASweep: the AWS Batch job definition of
// docs/distributed.md, its Ref:: placeholders filled from the
// submit-job --parameters shown, runs as an array of the shown size (each
// child with AWS_BATCH_JOB_ARRAY_INDEX and AWS_BATCH_JOB_ARRAY_SIZE, as
// Batch sets them); the merge job's --container-overrides command merges,
// and the result is the one-machine sweep.
func TestBatchJobDefinitionRunsASweep(t *testing.T) {
	wantJS, _ := oneMachineSweep(t)
	var def struct {
		Name       string            `json:"jobDefinitionName"`
		Parameters map[string]string `json:"parameters"`
		Container  struct {
			Command []string `json:"command"`
		} `json:"containerProperties"`
	}
	blocks := docBlocks(t, distributedDoc, "json")
	if len(blocks) != 1 {
		t.Fatalf("%d JSON blocks in %s, want the job definition", len(blocks), distributedDoc)
	}
	if err := json.Unmarshal([]byte(blocks[0]), &def); err != nil {
		t.Fatalf("the job definition does not parse: %v", err)
	}
	var sh string
	for _, b := range docBlocks(t, distributedDoc, "sh") {
		if strings.Contains(b, "aws batch submit-job") {
			sh = strings.ReplaceAll(b, "\\\n", " ")
		}
	}
	params := map[string]string{}
	for k, v := range def.Parameters {
		params[k] = v
	}
	if m := regexp.MustCompile(`--parameters (\S+)`).FindStringSubmatch(sh); m != nil {
		for _, kv := range strings.Split(m[1], ",") {
			k, v, _ := strings.Cut(kv, "=")
			params[k] = v
		}
	}
	size := regexp.MustCompile(`--array-properties size=(\d+)`).FindStringSubmatch(sh)
	overrides := regexp.MustCompile(`--container-overrides '([^']*)'`).FindStringSubmatch(sh)
	if size == nil || overrides == nil || !strings.Contains(sh, "--job-definition "+def.Name) {
		t.Fatalf("the submit-job commands lack the array size, the merge's overrides or the definition %q:\n%s", def.Name, sh)
	}
	args := make([]string, len(def.Container.Command))
	for i, a := range def.Container.Command {
		if name, ok := strings.CutPrefix(a, "Ref::"); ok {
			v, found := params[name]
			if !found {
				t.Fatalf("command element %q has no parameter %q", a, name)
			}
			a = v
		}
		if strings.Contains(a, "Ref::") {
			t.Errorf("command element %q: a placeholder inside a string is not one AWS documents replacing", a)
		}
		if a == "/scenarios/sweep.yaml" {
			a = sweepExample
		}
		args[i] = a
	}
	s3TestEnv(t)
	clearShardEnv(t)
	fake := s3fake.New()
	defer fake.Close()
	t.Setenv("CAPSIM_S3_ENDPOINT_URL", fake.URL)
	t.Setenv("AWS_BATCH_JOB_ARRAY_SIZE", size[1])
	n, _ := strconv.Atoi(size[1])
	for i := range n {
		t.Setenv("AWS_BATCH_JOB_ARRAY_INDEX", strconv.Itoa(i))
		if code, _, errs := capsim(t, args...); code != 0 {
			t.Fatalf("child %d: capsim %s: exit %d: %s", i, strings.Join(args, " "), code, errs)
		}
	}
	clearShardEnv(t) // the merge job is not an array job
	var ov struct {
		Command []string `json:"command"`
	}
	if err := json.Unmarshal([]byte(overrides[1]), &ov); err != nil {
		t.Fatalf("--container-overrides: %v", err)
	}
	if code, _, errs := capsim(t, ov.Command...); code != 0 {
		t.Fatalf("merge job: capsim %s: exit %d: %s", strings.Join(ov.Command, " "), code, errs)
	}
	if js := mergedObject(t, fake, ov.Command[2]); !bytes.Equal(js, wantJS) {
		t.Errorf("the Batch jobs' merged sweep.json differs from the one-machine sweep (%d vs %d bytes)", len(js), len(wantJS))
	}
	if got := fmt.Sprint(ov.Command[:2]); got != "[merge --out]" {
		t.Errorf("merge command %v", ov.Command)
	}
}
