/**
 * The shell side of completion: thin scripts that hand the words typed so far to
 * `b24 __complete -- WORDS... CURRENT` and offer what it prints, one candidate a line.
 * All the knowledge (commands, flags, flag values, method names and params) stays in
 * complete.ts, in one place for the three shells.
 */
export type Shell = 'bash' | 'zsh' | 'fish';

const BASH = `# bash completion for b24. Install: source <(b24 completion bash)
_b24_complete() {
  local IFS=$'\\n'
  local words=("\${COMP_WORDS[@]:0:$((COMP_CWORD + 1))}")
  COMPREPLY=($(b24 __complete -- "\${words[@]}" 2>/dev/null))
  return 0
}
complete -o default -F _b24_complete b24
`;

const ZSH = `#compdef b24
# zsh completion for b24. Install: source <(b24 completion zsh)   (after compinit)
_b24() {
  local -a candidates
  candidates=("\${(@f)$(b24 __complete -- "\${(@)words[1,CURRENT]}" 2>/dev/null)}")
  candidates=(\${candidates:#})
  if (( \${#candidates} )); then
    compadd -Q -- "\${candidates[@]}"
  else
    _files
  fi
}
if [[ "\${funcstack[1]}" = "_b24" ]]; then
  _b24 "$@"
else
  compdef _b24 b24
fi
`;

const FISH = `# fish completion for b24. Install: b24 completion fish > ~/.config/fish/completions/b24.fish
function __b24_complete
    set -l words (commandline -opc)
    set -l current (commandline -ct)
    b24 __complete -- $words "$current" 2>/dev/null
end
complete -c b24 -f -a '(__b24_complete)'
`;

export function completionScript(shell: Shell): string {
  return shell === 'bash' ? BASH : shell === 'zsh' ? ZSH : FISH;
}
