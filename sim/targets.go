package sim

// router is what the load balancer routes to: the routable targets (today
// an instance each), one view per zone when cross-zone load balancing is
// off, the slow-start ramp, and the outstanding request counts. A target's
// outstanding count changes only through addOutstanding, which keeps the
// target, the balancer's views and the total in step.
type router struct {
	all          Targets   // every routable target
	zonal        []Targets // per-zone routable views, with cross-zone off
	balancer     Balancer
	slowStart    Time // ALB slow_start.duration_seconds; 0: off
	slowStarting int  // targets in slow start
	pickWeights  bool // the balancer applies weights itself
	// outstanding is the requests inside instances, queued or in service:
	// the sum of every instance's outstanding count (Little's L).
	outstanding int64
}

func newRouter(cfg *Config) router {
	r := router{balancer: cfg.Balancer, slowStart: cfg.SlowStart}
	r.all.rng = NewRand(cfg.Seed, StreamBalancer)
	if cfg.CrossZoneOff {
		r.zonal = make([]Targets, max(1, cfg.Fleet.Zones))
		for z := range r.zonal {
			r.zonal[z].rng = r.all.rng
		}
	}
	if wa, ok := cfg.Balancer.(WeightAware); ok {
		r.pickWeights = wa.UsesWeights()
	}
	return r
}

// addOutstanding changes instance in's outstanding requests by d.
func (r *router) addOutstanding(in *instance, d int32) {
	in.outstanding += d
	r.outstanding += int64(d)
	if in.pos >= 0 {
		r.all.out[in.pos] = in.outstanding
		if r.zonal != nil {
			r.zonal[in.zone].out[in.zpos] = in.outstanding
		}
	}
}

// add makes instance id, now in service, a target. Slow start applies only
// when a healthy target outside slow start already takes traffic
// (docs/aws-model.md §4.1).
func (r *router) add(in *instance, id int32) {
	w := in.capacity()
	if r.slowStart > 0 && len(r.all.ids) > r.slowStarting {
		in.slowStart = true
		r.slowStarting++
		w *= float64(tickStep) / float64(r.slowStart)
	}
	in.pos = r.all.add(id, in.outstanding, w)
	if r.zonal != nil {
		in.zpos = r.zonal[in.zone].add(id, in.outstanding, w)
	}
}

// remove takes instance id out of the routable targets.
func (r *router) remove(inst []instance, id int32) {
	in := &inst[id]
	if moved := r.all.remove(in.pos); moved >= 0 {
		inst[moved].pos = in.pos
	}
	if r.zonal != nil {
		if moved := r.zonal[in.zone].remove(in.zpos); moved >= 0 {
			inst[moved].zpos = in.zpos
		}
	}
	in.pos = -1
	if in.slowStart {
		in.slowStart = false
		r.slowStarting--
	}
}

// pick returns the target for one request; there is at least one. It is
// small enough to inline: one target needs no balancer.
func (r *router) pick(inst []instance) int32 {
	if len(r.all.ids) == 1 {
		return r.all.ids[0]
	}
	return r.pickAmong(inst)
}

// pickAmong asks the balancer to choose among two or more targets.
func (r *router) pickAmong(inst []instance) int32 {
	if r.zonal != nil {
		return r.pickZonal()
	}
	pos := r.balancer.Pick(&r.all)
	if r.slowStarting == 0 || r.pickWeights {
		return r.all.ids[pos]
	}
	// While targets ramp up in slow start and the balancer ignores
	// weights, a pick of a ramping target stands with probability weight ÷
	// full weight, else the balancer picks again: the ramping target's
	// share then grows linearly with its weight.
	for try := 0; try < 8; try++ {
		in := &inst[r.all.ids[pos]]
		if !in.slowStart || r.all.rng.Float64()*in.capacity() < r.all.w[pos] {
			return r.all.ids[pos]
		}
		pos = r.balancer.Pick(&r.all)
	}
	return r.all.ids[pos]
}

// pickZonal routes with cross-zone load balancing off: the request lands
// on one zone's load-balancer node, the nodes sharing traffic equally
// (zones without targets drop out of DNS), and the node picks among its
// own zone's targets.
func (r *router) pickZonal() int32 {
	k := 0
	for z := range r.zonal {
		if r.zonal[z].Len() > 0 {
			k++
		}
	}
	n := r.all.rng.IntN(k)
	for z := range r.zonal {
		zt := &r.zonal[z]
		if zt.Len() == 0 {
			continue
		}
		if n > 0 {
			n--
			continue
		}
		zp := 0
		if zt.Len() > 1 {
			zp = r.balancer.Pick(zt)
		}
		return zt.ids[zp]
	}
	return r.all.ids[0]
}

// ramp updates the weights of targets in slow start.
func (r *router) ramp(inst []instance, now Time) {
	for p, id := range r.all.ids {
		in := &inst[id]
		if !in.slowStart {
			continue
		}
		full := in.capacity()
		f := float64(now-in.inServiceAt) / float64(r.slowStart)
		if f >= 1 {
			in.slowStart = false
			r.slowStarting--
			r.setWeight(in, int32(p), full)
			continue
		}
		r.setWeight(in, int32(p), full*max(f, 0.001))
	}
}

func (r *router) setWeight(in *instance, p int32, w float64) {
	r.all.w[p] = w
	if r.zonal != nil {
		r.zonal[in.zone].w[in.zpos] = w
	}
}
