import RefreshIcon from '@mui/icons-material/Refresh';
import { Box, Button, Paper, Stack, Typography } from '@mui/material';
import { FitAddon } from '@xterm/addon-fit';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { WebglAddon } from '@xterm/addon-webgl';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { api } from '../../api/api-client';
import { strings } from '../../strings';
import { ConnectionIndicator } from './connection-indicator';
import { TerminalConnection, type ConnectionState } from './terminal-connection';
import { terminalBackground, terminalFontFamily, terminalTheme } from './terminal-theme';

/**
 * The host element exposes the visible screen as text. Tests read it; it reveals nothing a
 * script on the page could not already read from the terminal's DOM.
 */
export interface TerminalHostElement extends HTMLDivElement {
  ccrReadScreen?: () => string;
}

interface TerminalViewProps {
  sessionId: string;
  name: string;
  title: string;
  icon?: ReactNode;
  /** The terminal that should hold the keyboard when nothing else does. */
  preferFocus: boolean;
  /** False while hidden behind another tab: the socket stays attached. */
  visible?: boolean;
}

export function TerminalView({
  sessionId,
  name,
  title,
  icon,
  preferFocus,
  visible = true,
}: TerminalViewProps) {
  const hostRef = useRef<TerminalHostElement>(null);
  const connectionRef = useRef<TerminalConnection | null>(null);
  const [term, setTerm] = useState<Terminal | null>(null);
  const [state, setState] = useState<ConnectionState>({ status: 'connecting' });

  // Effect 1: the terminal and its addons, sized to the host element.
  useEffect(() => {
    const host = hostRef.current;
    if (!host) {
      return;
    }
    const terminal = new Terminal({
      allowProposedApi: true, // the unicode11 addon uses the proposed unicode API
      cursorBlink: true,
      fontFamily: terminalFontFamily,
      fontSize: 13,
      lineHeight: 1.15,
      scrollback: 2000,
      theme: terminalTheme,
      macOptionIsMeta: true,
    });
    const fit = new FitAddon();
    terminal.loadAddon(fit);
    terminal.loadAddon(new WebLinksAddon());
    terminal.loadAddon(new Unicode11Addon());
    terminal.unicode.activeVersion = '11';
    terminal.open(host);
    let webgl: WebglAddon | undefined;
    try {
      webgl = new WebglAddon();
      // Disposing the addon hands rendering back to the DOM renderer.
      webgl.onContextLoss(() => webgl?.dispose());
      terminal.loadAddon(webgl);
    } catch {
      // No WebGL2 here: the DOM renderer xterm started with stays in place.
      webgl?.dispose();
    }

    // A hidden tab has no size; fitting it would shrink the pty to nothing.
    const fitIfVisible = () => {
      if (host.clientWidth > 0 && host.clientHeight > 0) {
        fit.fit();
      }
    };
    // Fit now, so the socket attaches with the real size rather than 80x24 and a resize.
    fitIfVisible();
    let frame: number | undefined;
    const refit = () => {
      frame ??= window.requestAnimationFrame(() => {
        frame = undefined;
        fitIfVisible();
      });
    };
    const observer = new ResizeObserver(refit);
    observer.observe(host);

    host.ccrReadScreen = () => {
      const buffer = terminal.buffer.active;
      const lines: string[] = [];
      for (let y = 0; y < terminal.rows; y += 1) {
        lines.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? '');
      }
      return lines.join('\n');
    };
    setTerm(terminal);

    return () => {
      observer.disconnect();
      if (frame !== undefined) {
        window.cancelAnimationFrame(frame);
      }
      delete host.ccrReadScreen;
      setTerm(null);
      terminal.dispose();
    };
  }, []);

  // Effect 2: the socket, reconnecting with backoff until the view goes away.
  useEffect(() => {
    if (!term) {
      return;
    }
    const connection = new TerminalConnection({
      sessionId,
      terminal: name,
      term,
      requestTicket: async () => (await api.createTerminalTicket(sessionId, name)).ticket,
      onState: setState,
    });
    connectionRef.current = connection;
    connection.start();
    return () => {
      connectionRef.current = null;
      connection.dispose();
    };
  }, [term, sessionId, name]);

  // Keyboard: the preferred terminal takes it when it opens, unless the user is typing
  // elsewhere, and always when its tab has just been selected.
  const wasVisible = useRef(visible);
  useEffect(() => {
    if (!term || !visible || !preferFocus || state.status !== 'open') {
      return;
    }
    const active = document.activeElement;
    const tabJustSelected = !wasVisible.current;
    if (
      tabJustSelected ||
      !active ||
      active === document.body ||
      hostRef.current?.contains(active)
    ) {
      term.focus();
    }
  }, [term, visible, preferFocus, state.status]);
  useEffect(() => {
    wasVisible.current = visible;
  }, [visible]);

  const ended = state.status === 'exited' || state.status === 'closed';

  return (
    <Paper
      variant="outlined"
      data-terminal-panel={name}
      sx={{
        display: visible ? 'flex' : 'none',
        flexDirection: 'column',
        minWidth: 0,
        minHeight: 0,
        flex: 1,
        overflow: 'hidden',
        bgcolor: terminalBackground,
        borderColor: 'divider',
      }}
    >
      <Stack
        direction="row"
        alignItems="center"
        spacing={1}
        sx={{
          px: 1.5,
          py: 0.75,
          borderBottom: 1,
          borderColor: 'divider',
          bgcolor: 'background.paper',
        }}
      >
        {icon}
        <Typography variant="subtitle2" sx={{ fontWeight: 600 }}>
          {title}
        </Typography>
        <Typography variant="caption" color="text.secondary" sx={{ fontFamily: 'monospace' }}>
          {name}
        </Typography>
        <Box sx={{ flex: 1 }} />
        <ConnectionIndicator state={state} />
      </Stack>
      <Box sx={{ position: 'relative', flex: 1, minHeight: 0 }}>
        <Box
          ref={hostRef}
          data-terminal={name}
          data-connection-status={state.status}
          onClick={() => term?.focus()}
          sx={{
            position: 'absolute',
            inset: 0,
            p: 1,
            '& .xterm': { height: '100%' },
            '& .xterm-viewport': { backgroundColor: `${terminalBackground} !important` },
          }}
        />
        {ended && (
          <Box
            sx={{
              position: 'absolute',
              inset: 0,
              display: 'grid',
              placeItems: 'center',
              bgcolor: 'rgba(5, 8, 12, 0.72)',
              backdropFilter: 'blur(2px)',
            }}
          >
            <Stack
              spacing={2}
              alignItems="center"
              sx={{ maxWidth: 360, textAlign: 'center', p: 2 }}
            >
              <Typography variant="body2">
                {state.status === 'exited'
                  ? strings.terminal.exitedWithCode(state.exitCode ?? 0)
                  : (state.reason ?? strings.terminal.closed)}
              </Typography>
              <Button
                variant="contained"
                startIcon={<RefreshIcon />}
                onClick={() => connectionRef.current?.reconnectNow()}
              >
                {strings.terminal.reconnect}
              </Button>
            </Stack>
          </Box>
        )}
      </Box>
    </Paper>
  );
}
