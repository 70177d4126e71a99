package main

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/grunnlag/grunnlag/internal/audit"
	"github.com/grunnlag/grunnlag/internal/store"
)

// submitAll has every municipality's lead submit, cfg.clients at a time.
func submitAll(cfg config, s *site, c *client, rec *recorder) {
	ctx := context.Background()
	start := time.Now()
	var wg sync.WaitGroup
	for ci := range cfg.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := ci; i < len(s.municipalities); i += cfg.clients {
				t0 := time.Now()
				err := c.submit(ctx, s.municipalities[i].people[0])
				rec.add(kindSubmit, time.Since(t0), err)
			}
		}()
	}
	wg.Wait()
	rec.setWindow(kindSubmit, time.Since(start))
}

// closeRound closes the round as an administrator does, and returns how
// long the first profile after it took: the request that computes the
// round's aggregates.
func closeRound(ctx context.Context, s *site, c *client, rec *recorder) (time.Duration, error) {
	if err := s.survey.SetStatus(ctx, audit.CLI, roundID, store.RoundClosed); err != nil {
		return 0, err
	}
	t0 := time.Now()
	err := c.profile(ctx, s.municipalities[0].people[0])
	d := time.Since(t0)
	if err != nil {
		rec.add(kindProfile, d, err)
	}
	return d, err
}

// readClosed runs clients against the pages that compare a municipality
// with its peers, with the full round stored, for d after the warm-up:
// seven in eight clients read the profile as the municipalities' leads in
// turn; the eighth (and the last, when fewer) is an analyst reading the
// aggregates page and the API in turn. alone: one client reads all three
// in turn (eight profiles, then the page, then the API), measured as the
// *Alone kinds. The loaded clients think as during the deadline
// (cfg.think); the one alone does not.
func readClosed(cfg config, s *site, c *client, rec *recorder, clients int, d time.Duration, alone bool) {
	ctx := context.Background()
	start := time.Now()
	measureFrom := start.Add(cfg.warmup)
	end := measureFrom.Add(d)
	profile, analysis, api := kindProfile, kindAnalysis, kindAggregateAPI
	if alone {
		profile, analysis, api = kindProfileAlone, kindAnalysisAlone, kindAggregateAPIAlone
	}
	var wg sync.WaitGroup
	for ci := range clients {
		analyst := ci%8 == 7 || (clients > 1 && clients < 8 && ci == clients-1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(cfg.seed, uint64(ci)+1))
			if !alone {
				stagger(rng, cfg.think)
			}
			for i := 0; time.Now().Before(end); i++ {
				kind := profile
				var err error
				t0 := time.Now()
				switch {
				case (analyst && i%2 == 0) || (alone && i%10 == 8):
					kind, err = analysis, c.analysis(ctx, s.analyst)
				case analyst || (alone && i%10 == 9):
					kind, err = api, c.aggregatesAPI(ctx, s.analyst)
				default:
					lead := s.municipalities[(i*clients+ci)%len(s.municipalities)].people[0]
					err = c.profile(ctx, lead)
				}
				if err != nil || !t0.Before(measureFrom) {
					rec.add(kind, time.Since(t0), err)
				}
				if cfg.think > 0 && !alone {
					time.Sleep(time.Duration(rng.ExpFloat64() * float64(cfg.think)))
				}
			}
		}()
	}
	wg.Wait()
	for _, k := range []string{profile, analysis, api} {
		rec.setWindow(k, d)
	}
}
