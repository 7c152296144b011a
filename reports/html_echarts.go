package reports

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"strings"
	"sync"
)

// The HTML report inlines Apache ECharts, which `make assets` fetches from
// npm (pinned in assets/package.json) and copies into assets/; see
// assets/README.md. The patterns take every top-level file of assets/ whose
// name holds a dot or a hyphen. Each always matches a committed file
// (README.md, package-lock.json, echarts-sri.txt), so the package compiles
// before `make assets`; once built, echarts.min.js and the licence files
// match too; node_modules matches neither and is never embedded.
//
//go:embed assets/*.* assets/*-*
var assetFS embed.FS

// ErrAssetsNotBuilt says the embedded ECharts bundle is missing: the binary
// was built before `make assets`. WriteHTML does not fail for it: the page
// then loads ECharts from EChartsCDN (see EChartsEmbedded).
var ErrAssetsNotBuilt = errors.New("echarts.min.js is not built: run 'make assets'")

// EChartsCDN is where a report loads ECharts from when the bundle was not
// embedded: the same pinned version from jsDelivr, which serves npm
// packages' files unchanged, checked by the browser against the
// subresource-integrity hash in assets/echarts-sri.txt.
const EChartsCDN = "https://cdn.jsdelivr.net/npm/echarts@%s/dist/echarts.min.js"

// echartsBundle is how the page gets ECharts, and what it says about it:
// inlined (js set) or loaded from the CDN (src and integrity set).
type echartsBundle struct {
	js             string
	src, integrity string
	version        string
	notice         string // echarts' NOTICE file, reproduced in the report footer
}

// script is the <script> element that brings ECharts into the page.
func (b echartsBundle) script() string {
	if b.js != "" {
		return "<script>" + b.js + "</script>"
	}
	return `<script src="` + template.HTMLEscapeString(b.src) + `" integrity="` + template.HTMLEscapeString(b.integrity) +
		`" crossorigin="anonymous"></script>`
}

var loadECharts = sync.OnceValues(func() (echartsBundle, error) {
	version, err := pinnedEChartsVersion()
	if err != nil {
		return echartsBundle{}, err
	}
	js, err := assetFS.ReadFile("assets/echarts.min.js")
	if errors.Is(err, fs.ErrNotExist) {
		return cdnBundle(version)
	}
	if err != nil {
		return echartsBundle{}, fmt.Errorf("html report: %w", err)
	}
	if !bytes.Contains(js, []byte(`version="`+version+`"`)) {
		return echartsBundle{}, fmt.Errorf("html report: the embedded echarts.min.js is not echarts %s as pinned in reports/assets/package.json: run 'make assets'", version)
	}
	// The bundle goes inside a <script> element; it must not be able to end it.
	if bytes.Contains(bytes.ToLower(js), []byte("</script")) {
		return echartsBundle{}, errors.New("html report: the embedded echarts.min.js contains \"</script\" and cannot be inlined")
	}
	notice, err := assetFS.ReadFile("assets/ECHARTS-NOTICE")
	if err != nil {
		return echartsBundle{}, fmt.Errorf("html report: ECHARTS-NOTICE is missing (%w)", ErrAssetsNotBuilt)
	}
	return echartsBundle{js: string(js), version: version, notice: strings.TrimSpace(string(notice))}, nil
})

// cdnBundle is the pinned ECharts version on EChartsCDN, with its hash.
func cdnBundle(version string) (echartsBundle, error) {
	sri, err := pinnedEChartsSRI()
	if err != nil {
		return echartsBundle{}, err
	}
	return echartsBundle{src: fmt.Sprintf(EChartsCDN, version), integrity: sri, version: version}, nil
}

// pinnedEChartsSRI reads the subresource-integrity hash of the pinned
// dist/echarts.min.js from assets/echarts-sri.txt (a test checks it against
// the built bundle).
func pinnedEChartsSRI() (string, error) {
	b, err := assetFS.ReadFile("assets/echarts-sri.txt")
	if err != nil {
		return "", fmt.Errorf("html report: %w", err)
	}
	sri := strings.TrimSpace(string(b))
	if !strings.HasPrefix(sri, "sha384-") {
		return "", fmt.Errorf("html report: reports/assets/echarts-sri.txt holds %q, want sha384-<base64>", sri)
	}
	return sri, nil
}

// CheckECharts returns the error WriteHTML would return for want of
// ECharts (an embedded bundle of another version than package.json pins,
// a missing integrity hash), so a command can fail before it simulates
// rather than after. A bundle that was simply not built is no error.
func CheckECharts() error {
	_, err := loadECharts()
	return err
}

// EChartsEmbedded says whether this binary carries the ECharts bundle, so
// its HTML reports open offline. Without it (built before `make assets`)
// they load ECharts from EChartsCDN and need the network.
func EChartsEmbedded() bool {
	b, err := loadECharts()
	return err == nil && b.js != ""
}

// pinnedEChartsVersion reads the echarts version from the embedded
// package.json, the single place it is written down.
func pinnedEChartsVersion() (string, error) {
	b, err := assetFS.ReadFile("assets/package.json")
	if err != nil {
		return "", fmt.Errorf("html report: %w", err)
	}
	var pkg struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	if err := json.Unmarshal(b, &pkg); err != nil {
		return "", fmt.Errorf("html report: reports/assets/package.json: %w", err)
	}
	v := pkg.Dependencies["echarts"]
	if v == "" {
		return "", errors.New("html report: reports/assets/package.json has no echarts dependency")
	}
	return v, nil
}
