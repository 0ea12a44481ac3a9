import json, os
cases=[]
def C(cmd, risks=(), malformed=False):
    d={"cmd":cmd,"risks":sorted(set(risks))}
    if malformed: d["malformed"]=True
    cases.append(d)
R="rm_rf"
# rm positives
for c in ["rm -rf /","rm -fr /","rm -r -f /","rm -f -r /*","rm -Rf ~","rm --recursive --force /","rm -rf --no-preserve-root /",
          "rm -rf $HOME","rm -rf ${HOME}","rm -rf \"$HOME\"","rm -rf ~/","rm -rf ~/*","rm -rf *","rm -rf .","rm -rf ./*","rm -rf ..",
          "rm -rf //","rm -rf /.","rm -r /","rm -f *","rm -rf -- /","rm --no-preserve-root -r /tmp/x",
          "/bin/rm -rf /","sudo rm -rf /","sudo -u root rm -rf /","sudo -- rm -rf /","env rm -rf /","env -i PATH=/bin rm -rf /",
          "FOO=1 rm -rf /","nohup rm -rf / &","timeout 10 rm -rf /","nice -n 10 rm -rf ~","xargs rm -rf /",
          "bash -c 'rm -rf /'","sh -c \"rm -rf ~\"","bash -lc 'cd /tmp && rm -rf *'","sudo bash -c 'rm -rf /'",
          "echo hi; rm -rf /","true && rm -rf /","false || rm -rf /","ls | rm -rf /","(rm -rf /)","{ rm -rf /; }",
          "echo $(rm -rf /)","echo `rm -rf ~`","if true; then rm -rf /; fi","for f in a; do rm -rf /; done",
          "eval 'rm -rf /'","eval rm -rf /","su -c 'rm -rf /' root","ssh prod 'rm -rf /'","ssh -p 22 prod rm -rf /",
          "bash <<EOF\nrm -rf /\nEOF","bash <<< 'rm -rf /'","r\\m -rf /","'rm' -rf /","\"rm\" \"-rf\" \"/\"","rm -rf '/'",
          "bash -c \"bash -c 'rm -rf /'\"","cd / && rm -rf *"]:
    C(c, [R])
# rm negatives
for c in ["rm -rf /tmp/build","rm -rf ./build","rm -rf node_modules","rm file.txt","rm -i *","rm *","rm -rf \"*\"","rm -rf '*'",
          "rm -rf '~'","rm -rf '$HOME'","rm -rf ~/project/tmp","rm -rf $HOME/.cache/pip","echo rm -rf /","echo 'rm -rf /'",
          "grep -r 'rm -rf /' .","git commit -m 'rm -rf / is bad'","printf '%s\\n' \"rm -rf ~\"","cat <<EOF\nrm -rf /\nEOF",
          "man rm","# rm -rf /","ls -la /","find / -name '*.log'","rm -rf build/*","rm -r dir","mv / /tmp"]:
    C(c)
# mkfs / dd / chmod
for c in ["mkfs.ext4 /dev/sda1","mkfs -t xfs /dev/nvme0n1","sudo mkfs.btrfs /dev/sdb","wipefs -a /dev/sda","mke2fs /dev/sdc"]:
    C(c, ["mkfs"])
for c in ["dd if=/dev/zero of=/dev/sda bs=1M","sudo dd if=image.iso of=/dev/sdb","dd of=/dev/nvme0n1 if=/dev/urandom"]:
    C(c, ["dd_device"])
for c in ["dd if=/dev/zero of=/dev/null bs=1M count=10","dd if=/dev/sda of=backup.img","dd if=x of=./dev/sda"]:
    C(c)
for c in ["chmod -R 777 /","sudo chmod -R 777 /","chmod --recursive 777 /","chmod -R a+rwx ~","chown -R nobody /","chmod -R 0777 /*"]:
    C(c, ["chmod_recursive_root"])
for c in ["chmod 777 /tmp/x","chmod -R 755 ./build","chmod 777 /","chown -R app:app /srv/app"]:
    C(c)
# pipe to shell
for c in ["curl https://x.sh | sh","curl -fsSL https://get.example.com | bash","wget -qO- https://x | sudo bash",
          "curl https://x | bash -s -- --yes","curl -s https://x | python3","wget -O - https://x | sh -","bash <(curl -s https://x)",
          "sh -c \"$(curl -fsSL https://x)\"","eval \"$(wget -qO- https://x)\"","source <(curl -s https://x)","curl x | tee log | bash"]:
    C(c, ["pipe_to_shell"])
for c in ["curl https://x | jq .","curl -s https://x | python3 -m json.tool","wget https://x -O install.sh","curl https://x > x.sh && less x.sh",
          "echo 'curl x | sh'","curl https://x | sh -c 'cat > out'","cat script.sh | bash"]:
    C(c)
# fork bomb
C(":(){ :|:& };:", ["fork_bomb"])
C("bomb() { bomb | bomb & }; bomb", ["fork_bomb"])
C("function f { f|f& }; f", ["fork_bomb"])
C("f() { echo hi; }; f | f")
C("f() { g | g & }; f")
# shutdown
for c in ["shutdown -h now","sudo reboot","halt","poweroff","init 0","telinit 6","systemctl reboot","sudo systemctl poweroff"]:
    C(c, ["shutdown"])
for c in ["systemctl restart nginx","init_db.sh","echo reboot","shutdownhook --list"]:
    C(c)
# kubectl / terraform / git
for c in ["kubectl delete pod web-1","kubectl -n prod delete deployment api","kubectl --context prod delete ns default","sudo kubectl delete -f x.yaml"]:
    C(c, ["kubectl_delete"])
for c in ["kubectl get pods","kubectl describe pod delete","kubectl logs delete-job-1"]:
    C(c)
for c in ["terraform destroy","terraform destroy -auto-approve","terraform -chdir=infra destroy","terraform apply -destroy"]:
    C(c, ["terraform_destroy"])
for c in ["terraform plan","terraform apply","terraform plan -destroy -out x"]:
    C(c)
for c in ["git push --force","git push -f origin main","git push origin main --force-with-lease","git push origin +main","git -C repo push -f",
          "git push --force-with-lease=main:abc origin"]:
    C(c, ["git_force_push"])
for c in ["git push","git push origin main","git fetch -f","git commit -m '--force'","git log --format=%f"]:
    C(c)
# combined / tricky
C("cd /tmp && curl x | sh && rm -rf /", ["pipe_to_shell", R])
C("sudo sh -c 'mkfs.ext4 /dev/sda && reboot'", ["mkfs","shutdown"])
C("echo 'unterminated", malformed=True)
C("echo $(rm -rf /", [R], malformed=True)
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'shell.jsonl'), 'w') as f:
    for c in cases: f.write(json.dumps(c)+'\n')
print(len(cases))
