# Sourced by the pair and compare scripts: the tag of a speed-held pair's folders and files,
#   pair_tag SLOPE SPEED  ->  vNN on -5 deg (v08, v12, v16), lvNN on level ground (lv08, lv12).
pair_tag() { echo "$([ "$1" = 0 ] && echo lv || echo v)$(echo "$2" | tr -d .)"; }
#   pair_where SLOPE  ->  the slope's part of the people's file names: m5 on -5 deg, level on level ground.
pair_where() { [ "$1" = 0 ] && echo level || echo m5; }
#   pair_variant WEIGHT  ->  the folder prefix of a pair tuned with that speed-error weight (w100_), none without one.
pair_variant() { echo "${1:+w${1}_}"; }
