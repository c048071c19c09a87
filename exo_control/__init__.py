"""Running the student policy: node runtime, policy, safety, drivers, recorder."""
