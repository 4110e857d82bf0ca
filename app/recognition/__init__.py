"""Recognition: coaches and team-mates thank a rep for something real they did."""
