"""Learning: teacher (PPO), curriculum, evaluation, distillation into the student, export."""
