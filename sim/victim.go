package sim

import "math"

// pickVictim chooses the instance to terminate on scale-in
// (docs/aws-model.md §1.9): first the zone with the most active instances
// that has an unprotected one, then the termination policies in order, then
// random. It returns -1 when every instance is protected.
func (e *engine) pickVictim() int32 {
	if e.ecs != nil {
		return e.ecsVictim()
	}
	f := &e.fleet
	free := make([]int, len(f.zoneActive))
	for _, id := range f.live {
		if in := &f.inst[id]; in.state.active() && !in.protected {
			free[in.zone]++
		}
	}
	zone := -1
	for z := range free {
		if free[z] > 0 && (zone < 0 || f.zoneActive[z] > f.zoneActive[zone]) {
			zone = z
		}
	}
	if zone < 0 {
		return -1
	}
	var cands []int32
	for _, id := range f.live {
		if in := &f.inst[id]; in.state.active() && !in.protected && int(in.zone) == zone {
			cands = append(cands, id)
		}
	}
	// Mixed groups first decide spot vs on-demand (Default policy, step 1).
	if spot, ok := e.preferSpotVictim(); ok {
		var same []int32
		for _, id := range cands {
			if f.inst[id].spot == spot {
				same = append(same, id)
			}
		}
		if len(same) > 0 {
			cands = same
		}
	}
	for _, p := range e.cfg.Fleet.Termination {
		if len(cands) == 1 {
			break
		}
		cands = e.applyTermination(p, cands)
	}
	return cands[e.termRng.IntN(len(cands))]
}

// applyTermination keeps the candidates a named termination policy prefers.
func (e *engine) applyTermination(policy string, cands []int32) []int32 {
	var key func(in *instance) float64 // the lowest key goes first
	switch policy {
	case "OldestInstance":
		key = func(in *instance) float64 { return float64(in.launch) }
	case "NewestInstance":
		key = func(in *instance) float64 { return -float64(in.launch) }
	case "Default", "ClosestToNextInstanceHour":
		// One launch template, so the Default policy's next rule decides:
		// the instance closest to its next billing hour.
		key = func(in *instance) float64 {
			used := (e.now - in.launch) % Hour
			return float64(Hour - used)
		}
	default:
		// OldestLaunchTemplate, OldestLaunchConfiguration and
		// AllocationStrategy: one launch template and one purchase option,
		// so they prefer no instance over another.
		return cands
	}
	best := math.Inf(1)
	var keep []int32
	for _, id := range cands {
		k := key(&e.fleet.inst[id])
		switch {
		case k < best:
			best, keep = k, append(keep[:0], id)
		case k == best:
			keep = append(keep, id)
		}
	}
	return keep
}
