package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/grunnlag/grunnlag/internal/survey"
)

// saveRecord is a save the server answered with success: what the client
// believes is stored.
type saveRecord struct {
	org       *orgPeople
	principle string
	version   int
	answers   []survey.Input
}

// answerer is one person's state as a client drives them: which principle
// is next, and the version of each principle's form they have open (absent:
// they must fetch the form first).
type answerer struct {
	*person
	next     int
	versions map[string]int
	saves    int
}

// prepare answers every principle of the county municipalities and has
// their leads submit, before the clock starts: they are the organisations
// whose profile is looked at while the round is open.
func prepare(ctx context.Context, cfg config, s *site, c *client) ([]saveRecord, error) {
	var saved []saveRecord
	rng := rand.New(rand.NewPCG(cfg.seed, 0))
	for _, o := range s.counties {
		p := o.people[0]
		for _, pr := range p.principles {
			v, err := c.form(ctx, p, pr.ID)
			if err != nil {
				return nil, fmt.Errorf("%s, form of %s: %w", o.org.Code, pr.ID, err)
			}
			answers := answersFor(rng, s.round, pr, p.user.Email, 0)
			next, err := c.save(ctx, p, pr, v, answers)
			if err != nil {
				return nil, fmt.Errorf("%s, save %s: %w", o.org.Code, pr.ID, err)
			}
			saved = append(saved, saveRecord{org: o, principle: pr.ID, version: next, answers: answers})
		}
		if err := c.submit(ctx, p); err != nil {
			return nil, fmt.Errorf("%s, submit: %w", o.org.Code, err)
		}
	}
	return saved, nil
}

// deadline runs the clients that save answers until the deadline (after
// the warm-up), and a county lead's look at its profile every
// cfg.profileEvery. Requests under way at the deadline are let finish, so
// that every save's outcome is known. It returns every save the server
// confirmed.
func deadline(cfg config, s *site, c *client, rec *recorder) []saveRecord {
	ctx := context.Background()
	start := time.Now()
	measureFrom := start.Add(cfg.warmup)
	end := measureFrom.Add(cfg.duration)
	measured := func(t time.Time) bool { return !t.Before(measureFrom) }

	var all []*person
	for _, o := range s.municipalities {
		all = append(all, o.people...)
	}
	saved := make([][]saveRecord, cfg.clients)
	var wg sync.WaitGroup
	for ci := range cfg.clients {
		var mine []*answerer
		for i := ci; i < len(all); i += cfg.clients {
			mine = append(mine, &answerer{person: all[i], versions: map[string]int{}})
		}
		if len(mine) == 0 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(cfg.seed, uint64(ci)+1))
			stagger(rng, cfg.think)
			for i := 0; time.Now().Before(end); i++ {
				a := mine[i%len(mine)]
				pr := a.principles[a.next%len(a.principles)]
				a.next++
				version, known := a.versions[pr.ID]
				if !known {
					t0 := time.Now()
					v, err := c.form(ctx, a.person, pr.ID)
					if err != nil || measured(t0) {
						rec.add(kindForm, time.Since(t0), err)
					}
					if err != nil {
						continue
					}
					version = v
				}
				a.saves++
				answers := answersFor(rng, s.round, pr, a.user.Email, a.saves)
				t0 := time.Now()
				next, err := c.save(ctx, a.person, pr, version, answers)
				d := time.Since(t0)
				if err != nil || measured(t0) {
					rec.add(kindSave, d, err)
				}
				if err == nil && measured(t0) {
					rec.addFifth(float64(t0.Sub(measureFrom))/float64(cfg.duration), d)
				}
				if err != nil {
					delete(a.versions, pr.ID) // open the form again
				} else {
					a.versions[pr.ID] = next
					saved[ci] = append(saved[ci], saveRecord{org: a.org, principle: pr.ID, version: next, answers: answers})
				}
				if cfg.think > 0 {
					time.Sleep(time.Duration(rng.ExpFloat64() * float64(cfg.think)))
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(cfg.profileEvery)
		defer tick.Stop()
		for i := 0; ; i++ {
			t := <-tick.C
			if !t.Before(end) {
				return
			}
			p := s.counties[i%len(s.counties)].people[0]
			t0 := time.Now()
			err := c.profile(ctx, p)
			if err != nil || measured(t0) {
				rec.add(kindProfileOpen, time.Since(t0), err)
			}
		}
	}()
	wg.Wait()
	rec.setWindow(kindSave, cfg.duration)
	rec.setWindow(kindForm, cfg.duration)
	rec.setWindow(kindProfileOpen, cfg.duration)
	var out []saveRecord
	for _, l := range saved {
		out = append(out, l...)
	}
	return out
}

// stagger waits a random part of think before a client's first request,
// so that clients that think do not all start at once.
func stagger(rng *rand.Rand, think time.Duration) {
	if think > 0 {
		time.Sleep(time.Duration(rng.Float64() * float64(think)))
	}
}
