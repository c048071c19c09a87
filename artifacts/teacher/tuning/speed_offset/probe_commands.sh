#!/bin/bash
# Stop 42: what a node does at a command it was not tuned for, 20 s from start seeds 40-49.
#  - The 1.2 m/s level node (speed_nodes/lv_12_s5_st6) at 1.4 m/s: as it is (start 0.8 x 1.4 = 1.12 m/s);
#    from its own tuning start speed (0.96 m/s, init_speed_fraction 0.6857); and with speed_cmd_offset
#    -0.2 (its laws see 1.2 m/s) from the 1.12 m/s start. Which of command and start makes it fall.
#  - The 0.8 m/s, -10 deg node (nodes/m10_v08), too fast there, with speed_cmd_offset -0.3 ... +0.2.
# Output: probe_commands.txt beside this script (start seed, walked 20 s, time walked s, mean speed m/s).
set -e
cd "$(dirname "$0")/../../../.."
D=artifacts/teacher/tuning/speed_offset CFG=config/train/reflex_160_upright_slope_node.yaml O=runs/probe_commands
L12=artifacts/teacher/tuning/speed_nodes/lv_12_s5_st6/best.json M10=artifacts/teacher/tuning/nodes/m10_v08/best.json
mkdir -p $O
sed 's/init_speed_fraction: 0.8/init_speed_fraction: 0.6857/' $CFG > $O/start096.yaml
grep -q "init_speed_fraction: 0.6857" $O/start096.yaml
offset() {  # node offset out: a copy of the node with speed_cmd_offset set (hand edit, recorded in the file)
  .venv/bin/python - "$1" "$2" "$3" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["params"]["speed_cmd_offset"] = float(sys.argv[2])
d["hand_edit"] = f"stop 42: {sys.argv[1]} with speed_cmd_offset {sys.argv[2]}"
json.dump(d, open(sys.argv[3], "w"), indent=1)
PY
}
ev() {  # reflex config speed slope name
  .venv/bin/python -m exo_sim evaluate --reflex $1 --config $2 --speeds $3 --slopes $4 --start-seeds $(seq 40 49) \
    --duration 20 --out $O/$5 > /dev/null 2>&1
  echo "# $5: $1 at $3 m/s, $4 deg, config $2"; cut -d, -f1,4-6 $O/$5/starts.csv | tail -n +2 | tr '\n' ' '; echo
}
offset $L12 -0.2 $O/lv12_off-0.2.json
{ ev $L12 $CFG 1.4 0 lv12_at_1.4
  ev $L12 $O/start096.yaml 1.4 0 lv12_at_1.4_start_0.96
  ev $O/lv12_off-0.2.json $CFG 1.4 0 lv12_off-0.2_at_1.4
  ev $M10 $CFG 0.8 -10 m10_v08
  for o in -0.3 -0.2 -0.1 0.1 0.2; do offset $M10 $o $O/m10_off$o.json; ev $O/m10_off$o.json $CFG 0.8 -10 m10_v08_off$o; done
} > $D/probe_commands.txt
