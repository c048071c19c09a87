"""The topic contract of hip_exo: names, types, QoS, units, conversions and typed parameters."""
