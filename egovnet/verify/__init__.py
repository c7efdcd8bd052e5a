"""egovnet.verify: post-change verification (redundancy drills)."""
