# Shared by the benchmark scripts (sourced): the upstream they all put in
# front of, and the document it serves.

# write_bench_body FILE: the 1 KiB JSON document of the pass-through and
# recording benchmarks (26 small objects, padded with spaces to 1024 bytes).
write_bench_body() {
  python3 -c 'import json; print(json.dumps({"items":[{"id":i,"name":"item-%04d"%i,"ok":True} for i in range(26)]})[:1024].ljust(1024))' > "$1"
}

# write_upstream_conf CONF DIR PORT [LOCATION...]: an nginx configuration
# for the upstream: one worker, no access log, unlimited keep-alive, DIR's
# body.json at every path, and the extra `location` blocks given (each one
# argument). Its pid file is DIR/up.pid.
write_upstream_conf() {
  local conf="$1" dir="$2" port="$3"
  shift 3
  local extra=""
  local location
  for location in "$@"; do extra="$extra    $location
"; done
  cat > "$conf" <<NGX
worker_processes 1;
pid $dir/up.pid;
error_log $dir/up-error.log;
events { worker_connections 20000; }
http {
  access_log off;
  client_max_body_size 0;
  server {
    listen 127.0.0.1:$port backlog=4096;
    keepalive_requests 1000000;
${extra}    location / { default_type application/json; root $dir; try_files /body.json =404; }
  }
}
NGX
}
