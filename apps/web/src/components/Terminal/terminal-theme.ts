import type { ITheme } from '@xterm/xterm';

export const terminalBackground = '#0b0f14';

// A dark palette tuned for long sessions: muted background, readable ANSI colours.
export const terminalTheme: ITheme = {
  background: terminalBackground,
  foreground: '#d6dde6',
  cursor: '#f0a37f',
  cursorAccent: terminalBackground,
  selectionBackground: '#2f4a6b99',
  black: '#1c2128',
  red: '#ff7b72',
  green: '#7ee787',
  yellow: '#e3b341',
  blue: '#79c0ff',
  magenta: '#d2a8ff',
  cyan: '#76e3ea',
  white: '#c9d1d9',
  brightBlack: '#6e7681',
  brightRed: '#ffa198',
  brightGreen: '#aff5b4',
  brightYellow: '#f8e3a1',
  brightBlue: '#a5d6ff',
  brightMagenta: '#e2c5ff',
  brightCyan: '#b3f0ff',
  brightWhite: '#f0f6fc',
};

export const terminalFontFamily =
  '"JetBrains Mono", "Fira Code", "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace';
