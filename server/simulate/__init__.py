"""`python -m server simulate`: a discrete-event simulation of a day at the counters that drives the real service
layer with an injected clock, and scores waiting-time predictors against the waits that really happened (issue 15).
`python -m server plan`: counters needed per hour (Erlang C)."""
