package sim

import "slices"

// Spot instances in an ECS cluster (docs/ecs.md, "Spot instances"): a
// capacity provider's group splits its instances between on-demand and
// spot as an Auto Scaling group does (sim/purchase.go), and EC2 reclaims
// its spot instances with the same 2-minute notice. On EC2 an ECS
// service's tasks are never spot themselves (only Fargate's are), so in
// such a run the spot events name container instances.

// ecsHostsSpot says a spot event names a container instance: an ECS
// service on EC2.
func (e *engine) ecsHostsSpot() bool { return e.ecs != nil && !e.ecs.cfg.Fargate }

// chooseHostPurchase makes a new container instance on-demand or spot so
// that its group follows its purchase split, and draws when EC2 will
// reclaim it.
func (e *engine) chooseHostPurchase(h int32) {
	s := e.ecs
	hs := &s.hosts[h]
	hg := &s.groups[hs.group].cfg.Hosts
	if hg.OnDemandFor == nil {
		return
	}
	od, total := 0, 1 // total counts the new instance
	for i := range s.hosts[:h] {
		if o := &s.hosts[i]; o.group == hs.group && !o.gone && !o.interrupted {
			total++
			if !o.spot {
				od++
			}
		}
	}
	if od < hg.OnDemandFor(total) {
		return
	}
	hs.spot = true
	if rate := hg.SpotInterruptionsPerHour; rate > 0 {
		at := e.now + FromSeconds(e.spotRng.ExpFloat64()/rate*3600)
		if at <= e.end {
			e.q.push(event{at: at, kind: evSpotNotice, inst: h})
		}
	}
}

// hostSpotNotice: EC2 will reclaim container instance h in two minutes.
// With spot instance draining the instance goes DRAINING: no new tasks,
// its tasks still starting stop at once and its running ones deregister
// and drain, and the service starts their replacements now — on the
// provider the strategy gives them (sim/strategy.go), where they may wait
// for capacity and so raise that provider's reservation metric (AWS:
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-spot.html).
// Without it the tasks run on until the instance goes. With capacity
// rebalancing the group launches the instance's replacement now.
func (e *engine) hostSpotNotice(h int32) {
	s := e.ecs
	hs := &s.hosts[h]
	if hs.gone || hs.interrupted {
		return
	}
	hs.interrupted = true
	gs := &s.groups[hs.group]
	hg := &gs.cfg.Hosts
	who := "spot interruption notice"
	if gs.cfg.Name != "" {
		who += " (capacity provider " + gs.cfg.Name + ")"
	}
	what := ": instance reclaimed in 2 minutes, its tasks run until then"
	if hg.SpotDraining {
		what = ": instance DRAINING for 2 minutes, the service replaces its tasks"
	}
	e.meter.res.Activities = append(e.meter.res.Activities, Activity{Time: e.now, Policy: "spot",
		From: gs.desired, To: gs.desired, Reason: who + what})
	e.q.push(event{at: e.now + spotNoticeTime, kind: evSpotReclaim, inst: h})
	if hg.SpotDraining {
		hs.draining = true
		for _, id := range slices.Clone(e.fleet.live) {
			if s.taskHost[id] != h {
				continue
			}
			if st := e.fleet.inst[id].state; st == inService {
				e.scaleIn(id)
			} else if st.active() {
				e.terminate(id)
			}
		}
		e.replaceTasks()
	}
	if hg.CapacityRebalance {
		e.setHosts(hs.group)
	}
}

// hostSpotReclaim: EC2 takes the instance back; the tasks still on it
// stop (the service replaces them) and the group launches a replacement.
func (e *engine) hostSpotReclaim(h int32) {
	hs := &e.ecs.hosts[h]
	if !hs.gone {
		e.terminateHost(h)
	}
	e.setHosts(hs.group)
}
