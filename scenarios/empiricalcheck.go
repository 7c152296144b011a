package scenarios

import (
	"math"
	"os"
	"path/filepath"

	"github.com/capsim/capsim/traces"
)

// empirical checks {dist: empirical, file} and reads the file.
func (c *checker) empirical(p string, d *DistSpec) {
	for _, k := range []string{"mean", "median", "p99", "value", "cv", "k"} {
		if c.given(p + "." + k) {
			c.bad(p+"."+k, "does not apply to dist empirical (it takes file)")
		}
	}
	if !c.given(p + ".file") {
		c.bad(p, "dist empirical needs file, a list of durations (capsim fit-workload --dist empirical --samples-out writes one)")
		return
	}
	path := d.File
	if !filepath.IsAbs(path) {
		path = filepath.Join(c.s.dir, path)
	}
	f, err := traces.OpenInput(path)
	if err != nil {
		why := err
		if pe, ok := err.(*os.PathError); ok {
			why = pe.Err
		}
		c.bad(p+".file", "cannot open %s (relative to the scenario file): %v", d.File, why)
		return
	}
	defer f.Close()
	e, err := traces.ReadEmpirical(f, d.File)
	if err != nil {
		c.bad(p+".file", "%v", err)
		return
	}
	if m := e.SampleMean(); m <= 0 || math.IsInf(m, 0) {
		c.bad(p+".file", "the durations' mean is %g: it must be greater than 0", m)
		return
	}
	d.samples = e
}
