package sim

// ProviderSummary is one capacity provider's side of the run's summary,
// when the service has several (docs/ecs.md, "Several capacity
// providers"; docs/result.md summary.capacity_providers).
type ProviderSummary struct {
	Name         string
	InstanceType string
	// Purchase is "on_demand", "spot" or "mixed": how its group splits
	// its instances at its largest size (HostGroup.OnDemandFor).
	Purchase string
	// TargetCapacity is its managed scaling's target_capacity; 0 for a
	// fixed group (no managed scaling).
	TargetCapacity int
	// PeakInService and MeanInService count its container instances as
	// Result.PeakInService and MeanInService count the cluster's.
	PeakInService int
	MeanInService float64
}

// purchaseOf labels a group's purchase options: every instance on-demand,
// every instance spot, or a split of the two.
func purchaseOf(h *HostGroup) string {
	if h.OnDemandFor == nil {
		return "on_demand"
	}
	n := max(1, h.Max)
	switch od := h.OnDemandFor(n); {
	case od >= n:
		return "on_demand"
	case od <= 0:
		return "spot"
	}
	return "mixed"
}

// providerSummaries are each capacity provider's summary, in strategy
// order; nil with one provider (the run's summary is its).
func (e *engine) providerSummaries() []ProviderSummary {
	s := e.ecs
	if len(s.groups) < 2 {
		return nil
	}
	out := make([]ProviderSummary, len(s.groups))
	type change struct {
		at Time
		d  int
	}
	events := make([][]change, len(s.groups))
	for g := range s.groups {
		cfg := s.groups[g].cfg
		out[g] = ProviderSummary{Name: cfg.Name, InstanceType: cfg.Hosts.Type.Name, Purchase: purchaseOf(&cfg.Hosts)}
		if cfg.Scaling != nil {
			out[g].TargetCapacity = cfg.Scaling.TargetCapacity
		}
	}
	for i := range s.hosts {
		hs := &s.hosts[i]
		end := e.end
		if hs.gone {
			end = hs.end
		}
		events[hs.group] = append(events[hs.group], change{hs.launch, 1}, change{end, -1})
		out[hs.group].MeanInService += (end - hs.launch).Seconds() / e.end.Seconds()
	}
	for g, ev := range events {
		out[g].PeakInService = peakOf(len(ev), func(i int) (Time, int) { return ev[i].at, ev[i].d })
	}
	return out
}
