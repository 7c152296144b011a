package main

import (
	"fmt"
	"io"
	"net/url"

	"github.com/capsim/capsim/reports"
)

// noteOnlineReport says, once per command that writes an HTML report, that
// this binary was built without the ECharts bundle (go install, go build or
// go run before `make assets`), so its report loads ECharts from a CDN.
func noteOnlineReport(stderr io.Writer) {
	if echartsEmbedded() {
		return
	}
	fmt.Fprintf(stderr, "capsim: note: report.html loads ECharts from %s, so it needs the network to draw its charts; "+
		"build it after `make assets` (make assets && go install ./cmd/capsim) for reports that open offline\n", cdnHost())
}

// echartsEmbedded is reports.EChartsEmbedded; tests replace it.
var echartsEmbedded, defaultEChartsEmbedded = reports.EChartsEmbedded, reports.EChartsEmbedded

// cdnHost is the host of reports.EChartsCDN.
func cdnHost() string {
	u, err := url.Parse(fmt.Sprintf(reports.EChartsCDN, "0"))
	if err != nil || u.Host == "" {
		return "a CDN"
	}
	return u.Host
}
