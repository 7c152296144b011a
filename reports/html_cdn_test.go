package reports

import (
	"bytes"
	"crypto/sha512"
	"encoding/base64"
	"os"
	"strings"
	"testing"
)

// TestWriteHTMLFromCDN: a binary built without the ECharts bundle still
// writes the report, which loads the pinned version from the CDN with its
// integrity hash (https://developer.mozilla.org/en-US/docs/Web/Security/Subresource_Integrity)
// and says so in the footer. Runs with or without `make assets`.
func TestWriteHTMLFromCDN(t *testing.T) {
	version, err := pinnedEChartsVersion()
	if err != nil {
		t.Fatal(err)
	}
	b, err := cdnBundle(version)
	if err != nil {
		t.Fatal(err)
	}
	docs := []*Document{sampleDocument("checkout-api", 0)}
	var buf bytes.Buffer
	if err := writeHTML(&buf, b, docs); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	sri, _ := os.ReadFile("assets/echarts-sri.txt")
	want := `<script src="https://cdn.jsdelivr.net/npm/echarts@` + version + `/dist/echarts.min.js" integrity="` +
		strings.TrimSpace(string(sri)) + `" crossorigin="anonymous"></script>`
	if !strings.Contains(page, want) {
		t.Errorf("page lacks %s", want)
	}
	var srcScripts int
	for _, tag := range scanTags(page) {
		if tag.name == "script" && srcAttrRE.MatchString(tag.attrs) {
			srcScripts++
		}
	}
	if srcScripts != 1 {
		t.Errorf("%d scripts loaded by URL, want 1 (ECharts)", srcScripts)
	}
	if !strings.Contains(page, "the charts need the network") {
		t.Error("the footer does not say the page needs the network")
	}
	if got := pageChartIDs(buf.Bytes()); len(got) != len(wantChartIDs(docs)) {
		t.Errorf("chart elements %q, want %q", got, wantChartIDs(docs))
	}
}

// TestEChartsSRIMatchesBundle: the hash the CDN report pins is the hash of
// the bundle `make assets` builds from the pinned npm package, so the two
// cannot drift apart (change package.json, and this fails until
// assets/echarts-sri.txt is recomputed: see assets/README.md).
func TestEChartsSRIMatchesBundle(t *testing.T) {
	js, err := os.ReadFile("assets/echarts.min.js")
	if os.IsNotExist(err) {
		needTool(t, "%v", ErrAssetsNotBuilt)
	}
	if err != nil {
		t.Fatal(err)
	}
	sum := sha512.Sum384(js)
	got := "sha384-" + base64.StdEncoding.EncodeToString(sum[:])
	want, err := pinnedEChartsSRI()
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("assets/echarts.min.js hashes to %s, assets/echarts-sri.txt says %s", got, want)
	}
}
