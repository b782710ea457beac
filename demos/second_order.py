"""Second derivatives: Newton's method, a loss's curvature, and a gradient penalty.

Backward can build the gradient as a graph of its own (create_graph=True), and a
second backward through that graph gives second derivatives. Three uses:
1. Newton's method steps by f'/f'' (in 2-D, by H⁻¹∇f): a handful of steps where
   gradient descent needs hundreds, on a 1-D and on a narrow curved 2-D valley;
2. the Hessian's eigenvalues of a tiny MLP's loss at its minimum: the curvature, and
   the largest learning rate gradient descent can take there (2/λmax);
3. a gradient penalty (as in WGAN-GP) on the GAN demo's critic: the loss includes the
   critic's own input gradient, so training it differentiates a gradient.
"""
import os

import numpy as np

import tinygrad_edu as tg
from tinygrad_edu import Tensor, nn, optim
from _kit import headline, parse_args, svg_chart

TOLERANCE = 1e-8  # converged: |gradient| below this


def minimise(f, x0, method, lr=0.0, max_steps=10_000):
    """Run Newton or gradient descent from x0 until |grad f| < TOLERANCE.
    Returns (steps taken, |grad| after each step)."""
    x = Tensor(np.array(x0, dtype=np.float64), dtype=np.float64, requires_grad=True)
    norms = []
    for step in range(max_steps):
        g, = tg.grad(f(x), x)
        norms.append(float(np.linalg.norm(g.data)))
        if norms[-1] < TOLERANCE:
            return step, norms
        if method == "newton":
            H = tg.hessian(f, x).data.reshape(x.numel(), x.numel())
            move = np.linalg.solve(H, g.data.ravel()).reshape(x.shape)
        else:
            move = lr * g.data
        x.data = x.data - move
    return max_steps, norms


def one_d(x):
    return (x.exp() - 2 * x).sum()              # minimum at ln 2; f'' = e^x


def valley(p):
    x, y = p[0], p[1]                           # a curved valley (Rosenbrock, b = 10)
    return (1 - x) ** 2 + 10 * (y - x ** 2) ** 2


def newton_vs_descent(out_dir, quick):
    cap = 20_000  # gradient descent's step limit
    rows, curves = [], {}
    for name, f, x0, lr in (("1-D  e^x - 2x", one_d, [3.0], 0.05),
                            ("2-D  valley", valley, [-1.0, 1.5], 0.015)):
        newton_steps, newton_norms = minimise(f, x0, "newton")
        gd_steps, gd_norms = minimise(f, x0, "descent", lr, max_steps=cap)
        gd_text = f"{gd_steps:,}" if gd_steps < cap else f"> {cap:,} (not converged)"
        rows.append((name, newton_steps, gd_text))
        curves[f"{name.split()[0]} Newton"] = newton_norms
        curves[f"{name.split()[0]} gradient descent"] = gd_norms[:200]
    print("1. Steps until |gradient| < 1e-8 (Newton divides by the curvature, found by a "
          "second backward):")
    for name, newton_steps, gd_text in rows:
        print(f"   {name:<16} Newton {newton_steps:>3} steps   gradient descent {gd_text}")
    svg_chart(curves, os.path.join(out_dir, "newton_vs_descent.svg"),
              "|gradient| per step: Newton vs gradient descent (first 200)", "step", log=True)
    return rows


def mlp_curvature(quick):
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (32, 2))
    y = np.sin(2 * x[:, :1]) * x[:, 1:]         # a smooth target a tiny MLP can fit
    tg.manual_seed(0)
    model = nn.MLP(2, [4, 1], activation="tanh").double()
    data, target = Tensor(x, dtype=np.float64), Tensor(y, dtype=np.float64)

    def loss(*params):
        return ((model(data) - target) ** 2).mean()

    opt = optim.Adam(model.parameters(), lr=0.05)
    for _ in range(300 if quick else 2000):
        opt.zero_grad()
        loss().backward()
        opt.step()
    H = tg.hessian(loss, model.parameters()).data
    eigen = np.linalg.eigvalsh(H)
    print(f"\n2. A 2-4-1 MLP trained to loss {loss().item():.2e}; the Hessian of its loss over "
          f"its {len(H)} parameters")
    print(f"   eigenvalues from {eigen[0]:.3g} to {eigen[-1]:.3g}  (all >= 0 up to noise: "
          f"a minimum; near 0: flat directions)")
    print(f"   largest curvature {eigen[-1]:.3g}: gradient descent here is stable only for "
          f"learning rates below 2/λmax = {2 / eigen[-1]:.3g}")
    return eigen


def critic_gradient_norms(quick, penalty):
    """Train a GAN-demo critic (WGAN loss) between N(0, 1) fakes and the two-peaked real
    data, with or without the gradient penalty; return |dD/dx| at mixed points."""
    rng = np.random.default_rng(1)
    tg.manual_seed(1)
    critic = nn.MLP(1, [32, 32, 1], activation="leaky_relu").double()
    opt = optim.Adam(critic.parameters(), lr=1e-3, betas=(0.5, 0.9))
    for _ in range(150 if quick else 600):
        real = rng.choice([-2.0, 2.0], (64, 1)) + 0.3 * rng.standard_normal((64, 1))
        fake = rng.standard_normal((64, 1))
        mix = Tensor(real + rng.uniform(0, 1, (64, 1)) * (fake - real), dtype=np.float64,
                     requires_grad=True)
        loss = critic(Tensor(fake, dtype=np.float64)).mean() - critic(Tensor(real, dtype=np.float64)).mean()
        if penalty:  # (|dD/dx| - 1)², the gradient itself a graph: backward goes through it
            slope, = tg.grad(critic(mix).sum(), mix, create_graph=True)
            loss = loss + 10 * ((slope.abs() - 1) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    slope, = tg.grad(critic(mix).sum(), mix)
    return np.abs(slope.data).ravel()


def main():
    args = parse_args(__doc__.splitlines()[0])
    newton_vs_descent(args.out, args.quick)
    mlp_curvature(args.quick)
    free = critic_gradient_norms(args.quick, penalty=False)
    held = critic_gradient_norms(args.quick, penalty=True)
    print("\n3. A WGAN critic's slope |dD/dx| between real and fake samples:")
    print(f"   without the penalty: mean {free.mean():.3g} (grows as long as it trains)")
    print(f"   with the penalty:    mean {held.mean():.3f} (held near 1: the penalty's gradient "
          "came from differentiating a gradient)")
    headline("critic slope with gradient penalty", float(held.mean()),
             "target 1; backward through a gradient holds it there")


if __name__ == "__main__":
    main()
