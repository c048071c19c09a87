# Sourced by the pair and compare scripts: the tag of a speed-held pair's folders and files,
#   pair_tag SLOPE SPEED  ->  vNN on -5 deg (v08, v12, v16), lvNN on level ground (lv08, lv12).
pair_tag() { echo "$([ "$1" = 0 ] && echo lv || echo v)$(echo "$2" | tr -d .)"; }
#   pair_where SLOPE  ->  the slope's part of the people's file names: m5 on -5 deg, level on level ground.
pair_where() { [ "$1" = 0 ] && echo level || echo m5; }
#   pair_clock CLOCK  ->  the folder prefix of an assisted side tuned with another thigh clock (stop 45): none for
#   thigh (default), fwd_ for forward (forward-only, rate-limited), set_ for settled (that, started settled).
pair_clock() {
  case ${1:-thigh} in thigh) echo "" ;; forward) echo fwd_ ;; settled) echo set_ ;;
    *) echo "CLOCK: thigh, forward or settled" >&2; return 2 ;; esac
}
#   pair_variant WEIGHT [CLOCK] [FLOOR]  ->  the folder prefix of a pair tuned with that speed-error weight (w100_), none
#   without one; then that speed-floor weight's (fl400_, stop 47), none without one; then the clock's prefix.
pair_variant() { echo "${1:+w${1}_}${3:+fl${3}_}$(pair_clock "${2:-}")"; }
#   pair_keep NAME  ->  (from this folder) the run folder runs/trend_NAME copied here as NAME/, replacing an older copy.
pair_keep() { rm -rf "$1" && cp -r "../../../../runs/trend_$1" "$1"; }
#   pair_assist_config CLOCK  ->  the assisted side's tuning config for that clock.
pair_assist_config() {
  pair_clock "${1:-}" > /dev/null && echo "config/train/reflex_160_upright_assist_thigh$([ "${1:-thigh}" = thigh ] || echo "_$1").yaml"
}
