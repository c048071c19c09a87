#!/usr/bin/env bash
# The pooled fall tables of run.sh (see there): python ../fall_rates.py per speed over the runs of each student.
set -euo pipefail
cd "$(dirname "$0")/../../.."
A=artifacts/closed_loop
.venv/bin/python $A/fall_rates.py --speed 1.6 "three-node seed 0=$A/trend_st_3node_s6/student_seed0,$A/trend_st_3node_s6/student_seed0_seeds6to11,$A/fall_stats_s6/v16_3node_s0_12to23" "three-node seed 1=$A/trend_st_3node_s6/student_seed1,$A/fall_stats_s6/v16_3node_s1_6to23" "three-node seed 2=$A/trend_st_3node_s6/student_seed2,$A/fall_stats_s6/v16_3node_s2_6to23" "ensemble of seeds 0, 1=$A/ensemble_s6/3node_s01,$A/fall_stats_s6/v16_ens_3node_s01_6to11,$A/fall_stats_s6/v16_ens_3node_s01_12to23" "ensemble of seeds 0, 1, 2=$A/ensemble_s6/3node_s012,$A/fall_stats_s6/v16_ens_3node_s012_6to23" "ensemble of seeds 0, 2=$A/fall_stats_s6/v16_ens_3node_s02_0to23" "ensemble of seeds 1, 2=$A/fall_stats_s6/v16_ens_3node_s12_0to23"
.venv/bin/python $A/fall_rates.py --speed 1.2 "ensemble of seeds 0, 1, 2=$A/ensemble_s6/3node_s012,$A/fall_stats_s6/v12_ens_3node_s012_6to23"
.venv/bin/python $A/fall_rates.py --speed 0.8 "three-node seed 0=$A/trend_st_3node_s6/student_seed0,$A/fall_stats_s6/v08_3node_s0_6to23" "three-node seed 1=$A/trend_st_3node_s6/student_seed1,$A/fall_stats_s6/v08_3node_s1_6to23" "three-node seed 2=$A/trend_st_3node_s6/student_seed2,$A/fall_stats_s6/v08_3node_s2_6to23" "ensemble of seeds 0, 1=$A/ensemble_s6/3node_s01,$A/fall_stats_s6/v08_ens_3node_s01_6to23" "ensemble of seeds 0, 1, 2=$A/ensemble_s6/3node_s012,$A/fall_stats_s6/v08_ens_3node_s012_6to23"
